
## Languages, themes and the header
language-name = English
language-switch-label = Language
theme-switch-label = Theme
theme-auto = Auto
theme-light = Light
theme-dark = Dark
nav-label = Main
nav-repositories = Repositories
nav-activity = Activity
nav-registry = Registry
nav-audit = Audit log
logout = Log out
role-admin = admin
role-viewer = viewer
page-title = { $page } · Berth

## Dates, times and numbers
format-date = { $year }-{ $month2 }-{ $day2 } { $time } UTC
format-instant = { $year }-{ $month2 }-{ $day2 } { $time } UTC
time-future = in the future
time-just-now = just now
time-minutes-ago = { $n ->
    [one] 1 minute ago
   *[other] { $n } minutes ago
}
time-hours-ago = { $n ->
    [one] 1 hour ago
   *[other] { $n } hours ago
}
time-days-ago = { $n ->
    [one] 1 day ago
   *[other] { $n } days ago
}
time-months-ago = { $n ->
    [one] 1 month ago
   *[other] { $n } months ago
}
time-years-ago = { $n ->
    [one] 1 year ago
   *[other] { $n } years ago
}
unknown = unknown
none-dash = —

## Pages of long lists
pager-label = Pages
pager-previous = ← Previous
pager-next = Next →
pager-info = { $noun } { $first }–{ $last } of { $total } · page { $page } of { $pages }
pager-why = Longer than { $rows } rows (BERTH_MAX_ROWS), so Berth shows it in pages.
pager-noun-tags = Tags
pager-noun-repositories = Repositories
pager-noun-events = Events
pager-noun-entries = Entries

## Column headings
col-when = When
col-time = Time
col-action = Action
col-repository = Repository
col-tag = Tag
col-tags = Tags
col-digest = Digest
col-registry-user = Registry user
col-client = Client
col-user = User
col-address = Address
col-result = Result
col-request-id = Request id
col-size = Size
col-created = Created
col-last-pulled = Last pulled
col-pulls-30d = Pulls (30 d)
col-pulls-30d-title = Pulls the registry reported in the last 30 days
col-platforms = Platforms
col-pull = Pull
col-select = Select
col-media-type = Media type
col-artifact-type = Artifact type
col-share = Share
col-check = Check
col-answer = Answer
col-how = How Berth knows
col-tags-chosen = Tags you chose
col-also-removed = Also removed
delete-more-tags = and { $n } more

## Activity
event-push = push
event-pull = pull
event-delete = delete
events-off-1 = Berth takes no registry notifications, so there is no activity to show. Set BERTH_EVENTS_TOKEN and point the registry's
events-off-2 = at Berth's
events-off-3 =  (see the README).
activity-title = Activity
activity-repository-placeholder = any part of the name
activity-show-signatures = Show signature tags
activity-action-label = Action
activity-any = any
filter-button = Filter
activity-loading = Reading activity…
activity-empty = No activity reported yet.
activity-recent = Recent activity
activity-all = All activity

## Shared
crumbs-label = Breadcrumb
loading = Loading…

## Audit log
audit-repository-placeholder = name, or team-a/ for a namespace
audit-login = login
audit-logout = logout
audit-delete = delete
audit-remove-tag = remove-tag
audit-policy-create = policy created
audit-policy-edit = policy edited
audit-policy-delete = policy deleted
audit-retention-dry-run = retention dry run
audit-retention-apply = retention apply
audit-from = From
audit-to = To
filter-clear = Clear
audit-loading = Reading the audit log…
audit-count = { $total ->
    [one] 1 entry
   *[other] { $total } entries
} · kept { $days } days (BERTH_AUDIT_DAYS)
audit-export = Export:
audit-jsonl = JSON lines
audit-empty = No entries match.
audit-result-ok = ok
audit-result-started = started
audit-result-failed = failed
audit-result-denied = denied

## Login
login-title = Log in
login-hint = Use the username and password you use for docker login.
login-logged-out = You have logged out.
login-username = Username
login-password = Password
login-button = Log in
login-error-invalid = Wrong username or password.
login-error-unreachable = Berth could not reach the registry to check your login. Try again, or ask the administrator to check the registry.
login-error-not-registry = Berth's registry URL does not point at a Registry API v2 server. Ask the administrator to check BERTH_REGISTRY_URL.
login-error-registry-open = The registry lets anyone in without a password, so it cannot check yours. Ask the administrator to run Berth with BERTH_AUTH=none (read-only browsing) or BERTH_AUTH=htpasswd.
login-error-foreign-realm = The registry asked Berth to send your password to another server, which Berth does not trust, so your password was not sent anywhere. Ask the administrator to check the registry's token realm (BERTH_TOKEN_REALMS).
login-error-htpasswd = Berth could not read its htpasswd file. Ask the administrator to check BERTH_HTPASSWD.
login-error-other = Login failed.

## Errors
error-back = Back to repositories
error-no-page = There is no page at this address.
error-title-unauthenticated = Login required
error-title-forbidden = Not allowed
error-title-bad-request = Bad request
error-title-not-found = Not found
error-title-delete-disabled = Deleting is disabled in the registry
error-title-unreachable = Registry unreachable
error-title-not-a-registry = Not a Registry API v2 server
error-title-registry-auth = Registry refused access
error-title-foreign-origin = Registry pointed to another server
error-title-protocol = Unexpected registry answer
error-title-internal = Server error
error-title-unavailable = Temporarily unavailable
error-unauthenticated = You need to log in to see this page.
error-forbidden = Your role does not allow this: { $detail }
error-delete-disabled = Deleting is disabled in the registry's configuration. Set storage.delete.enabled: true in the registry's config.yml and restart it to allow deletes.
error-registry-unreachable = Berth could not reach the registry at { $url } ({ $detail }). Check that the registry is running, that BERTH_REGISTRY_URL is right and reachable from Berth's host, and, for https, that BERTH_REGISTRY_CA names the CA that signed its certificate.
error-not-a-registry = The server at { $url } is not a Registry API v2 server: GET /v2/ answered 404. Check BERTH_REGISTRY_URL; it must point at a registry:2 (or compatible) root.
error-foreign-origin = The registry pointed Berth at { $origin } for { $purpose }. That is not the registry's own server, so Berth sent it nothing and stopped. If it is your token server, add its origin to BERTH_TOKEN_REALMS.
error-registry-auth = The registry refused Berth's credentials. { $detail }
error-registry-protocol = The registry answered something Berth did not expect: { $detail }
error-internal = Something went wrong on the server: { $detail }
error-withheld = Berth could not complete this request. The details are in Berth's log under request id { $id }; an administrator can look them up there.
error-check-credentials = Check the username and password (or the service account).
error-registry-denied = the registry denied access ({ $detail })
error-registry-no-such-item = The registry has no such item ({ $detail }).

## Registry capabilities
registry-title = Registry capabilities
registry-loading = Probing the registry…
registry-url = URL
registry-api-version = API version header
registry-auth-scheme = Auth scheme
registry-realm = Realm
registry-token-service = Token service
registry-round-trip = Round trip
registry-latency = { $ms } ms (median of 5 GET /v2/)
registry-probes-harmless = Probes are harmless: the delete check asks to delete a digest no manifest has.
index-title = Registry index
index-off = Partial: no account reads the whole registry, so the index holds only the repositories users have opened (each checked with that user's own credentials, at most every 5 minutes). For all of it, set BERTH_REGISTRY_USERNAME and BERTH_REGISTRY_PASSWORD (htpasswd and none modes), or BERTH_INDEX_USERNAME and BERTH_INDEX_PASSWORD (registry mode).
index-running = Syncing now: { $done } of { $total } repositories, { $tags } tags so far.
index-idle = Idle; a full sync runs every { $secs } s, and registry notifications update it in between.
index-manual = Idle; full syncs run only when asked (BERTH_INDEX_INTERVAL=0), and registry notifications update it in between.
index-last = Last sync
index-last-value = { $when }, took { $took } s: { $repositories } repositories, { $tags } tags, { $fetched } manifests fetched, { $requests } registry requests
index-last-error = Stopped: { $error }
index-never = Not synced yet.
index-holds = Holds
index-holds-value = { $repositories } repositories, { $tags } tags, { $manifests } manifests, { $blobs } blobs ({ $bytes })
index-sync-now = Sync now
index-sync-requested = A sync was asked for; reload to see its progress.
verdict-yes = yes
verdict-no = no
verdict-unknown = unknown

## Deleting
delete-title = Delete images
delete-confirm-title = Confirm delete
delete-crumb = delete
delete-resolving = Resolving digests…
dialog-close = Close
delete-pick-one = Pick at least one tag to delete.
error-no-such-tag = There is no tag { $tag } in { $repo }.
delete-sibling-warning = Deleting a manifest removes every tag that points at it. The tags marked below will disappear too.
delete-index-note = You are deleting a multi-platform index. Only the index goes: its platform manifests stay in the repository, untagged. garbage-collect --delete-untagged removes them; a plain garbage-collect keeps them.
badge-index = index
delete-hint = Deleting removes the manifest from the registry. Disk space comes back only after the registry's garbage-collect runs.
delete-progress = Deleting { $n } of { $total }…
delete-done = Deleted { $deleted } of { $total ->
    [one] { $total } manifest
   *[other] { $total } manifests
}. Disk space comes back only after the registry's garbage-collect runs.
delete-button = { $n ->
    [one] Delete 1 manifest
   *[other] Delete { $n } manifests
}
delete-back = Back to the repository
delete-tags-only-hint = Or keep the image and remove only the tag(s) you chose. Other tags on the same digest stay.
delete-tags-only-button = { $n ->
    [one] Remove 1 tag only
   *[other] Remove { $n } tags only
}

## Copying
copy-title = Copy to clipboard
copy-button = Copy
copy-done = Copied

## Repositories
repos-loading = Loading repositories…
repos-no-namespace = (no namespace)
repos-skipped = The registry listed { $n } names that are not valid repository names; Berth does not show or link them.
repos-empty = The registry has no repositories yet. Push an image to see it here.
repos-filter-placeholder = Filter repositories
repos-count-all = { $total ->
    [one] 1 repository
   *[other] { $total } repositories
}
repos-count-some = { $count } of { $total ->
    [one] 1 repository
   *[other] { $total } repositories
}

## Tags
tags-loading = Loading tags…
tags-deleted = { $n ->
    [one] Deleted 1 manifest.
   *[other] Deleted { $n } manifests.
} Disk space comes back only after the registry's garbage-collect runs.
tags-removed = { $n ->
    [one] Removed 1 tag; the images stay.
   *[other] Removed { $n } tags; the images stay.
}
tags-count = { $n ->
    [one] 1 tag
   *[other] { $n } tags
}
tags-checked = Tags checked with the registry { $when }.
tags-refresh = Check now
tags-and-signatures = (and { $n } signature tags)
tags-hide-signatures = Hide { $n } signature tags
tags-show-signatures = Show { $n } signature tags
sort-by = Sort by:
sort-name = name
sort-version = version
sort-date = date
sort-last-pulled = last pulled
sort-pulls = pulls
tags-skipped = The registry listed { $n } tag names that are not valid tags; Berth does not show or link them.
tags-empty = This repository has no tags.
tags-delete-selected = Delete selected…
tags-compare-ticked = Compare the two ticked
tags-select = Select { $tag }
badge-missing = missing
badge-missing-title = The index names this manifest but the registry does not have it
badge-attested = attested
badge-attested-title = buildx attestation (provenance / SBOM) for this platform
badge-artifact-title = An OCI artifact, not a runnable image
badge-legacy = legacy schema 1
badge-legacy-title = Docker schema 1: read-only
badge-signed = signed
badge-has = has
tags-cosign-tag-for = cosign tag for
tags-same-digest = same digest as
tags-same-digest-title = These tags point at the same manifest
tags-same-digest-more = { $count ->
    [one] +1 more: same image
   *[other] +{ $count } more: same image
}
tags-more-platforms = { $n ->
    [one] +1 more platform
   *[other] +{ $n } more platforms
}
tags-protected = 🔒 protected
tags-protected-title = Protected: never deleted, from here or by a retention policy (matches { $pattern })
tags-none-seen = none seen
tags-none-seen-title = No pull reported since Berth began taking registry notifications

## A tag
tag-loading = Loading tag…
tag-total-size = Total size
tag-same-digest = Same digest
tag-delete = Delete this image…
tag-signed = Signed
tag-signed-intro = Cosign-style tags in this repository name this digest:
tag-referrers = Referrers ({ $n })
tag-referrers-source = From { $source }.
tag-platform-picker = Choose a platform
tag-platforms = Platforms ({ $n })
tag-orphan-attestations = Attestations for platforms not in this index
tag-other-media-type = Berth does not interpret this media type; the raw manifest is below.
tag-raw-manifest = Raw manifest JSON
tag-no-predicate = no predicate type recorded
tag-attestation = Attestation
tag-attestation-for = for
tag-helm-chart = Helm chart
signature-title = Signature
signature-notice = This tag holds a cosign signature, not an image: it says who signed which image. Verify it with cosign verify and your key or identity; Berth shows what it claims.
signature-signs = Signs
signature-subject-tags = tagged here as
signature-count = Signatures
signature-n = Signature { $n }
signature-identity = Signed name
signature-digest = Signed digest
signature-type = Type
signature-claims = Claims
signature-payload = Payload
signature-payload-too-large = not read: { $size } is too large for a signed payload
signature-payload-unreadable = not read: it is not cosign's simple-signing JSON
referrers-tag-title = Referrers
referrers-tag-notice = This tag is the list of artifacts (signatures, SBOMs, attestations) that refer to an image, as OCI 1.1 clients keep it on registries without the referrers API. It is no image.
referrers-tag-subject = Refers to
pull-helm = Pull the chart
pull-oras = Pull the artifact
pull-by-digest = By digest
tag-oci-artifact = OCI artifact
tag-artifact-notice = This is not a runnable image; Berth shows what the artifact declares.
tag-chart = Chart
tag-version = Version
tag-app-version = App version
tag-description = Description
tag-config-type = Config type
tag-refers-to = Refers to
tag-annotations = Annotations
tag-blobs = Blobs ({ $n })
tag-legacy-title = Legacy Docker schema 1 manifest
tag-name = Name
tag-architecture = Architecture
tag-layers-count = Layers
tag-signed-jws = yes (JWS)
tag-config = Config
tag-platform = Platform
tag-entrypoint = Entrypoint
tag-cmd = Cmd
tag-working-dir = Working dir
tag-user = User
tag-exposed-ports = Exposed ports
tag-env = Env
tag-labels = Labels
tag-layers = Layers ({ $n })
tag-history = History
tag-empty-layer = empty layer

## Errors from the registry and Berth's own checks
error-no-catalog = The registry has no catalog ({ $detail }).
error-no-catalog-access = your registry account may not list repositories (registry:catalog:*). A repository you may pull still opens at /r/<name>.
error-already-deleted = This image was already deleted: the registry no longer has { $digest } in { $repo }. Nothing else was removed.
error-no-tag-removal = This registry cannot remove a tag on its own; delete the image instead.
error-audit-unwritable = Berth could not write this change to its audit log, so it did not make it. Nothing was deleted. Check Berth's database.
error-bad-date = { $setting } must be a date like 2026-11-28, not { $value }
error-bad-audit-action = action must be one of { $actions }, not { $value }
error-audit-unreadable = Berth could not read its audit log from the database. Check Berth's database.
error-bad-export-format = format must be csv or jsonl, not { $value }
error-bad-event-action = action must be push, pull or delete, not { $value }
error-events-unreadable = Berth could not read registry events from its database.
error-no-such-repository = There is no repository named { $repo }.
forbidden-no-admins = deleting is off because BERTH_ADMINS names nobody. Ask the administrator to set BERTH_ADMINS to the users who may delete
forbidden-delete = only admins may delete, and not while Berth is read-only
forbidden-admin-page = this page is for admins (BERTH_ADMINS) only
forbidden-csrf = the form's security token is missing or stale; reload the page and try again

## Registry capability checks
verdict-not-probed = not probed
check-reachable = Reachable
check-api-v2 = Registry API v2
check-catalog = Catalog
check-catalog-cap = Catalog page cap
check-delete = Delete enabled
check-tag-paging = Tag lists paged
check-referrers = OCI referrers API
check-paging-referrers = Tag paging, referrers
cap-no-answer = no answer
cap-auth-bearer = Bearer token (Docker token spec)
cap-auth-basic = Basic (e.g. htpasswd)
cap-auth-none = none (anonymous access)
cap-auth-unknown = unknown (GET /v2/ answered { $status })
cap-v2-answered = GET /v2/ answered { $status } without credentials
cap-no-repository = there is no repository to probe these with
cap-listing-failed = listing failed: { $detail }
cap-catalog-first-page = { $n } repositories on the first page of 100
cap-catalog-first-page-more = { $n }+ repositories on the first page of 100 (more pages)
cap-per-page-truncated = { $n } per page (pages are truncated)
cap-no-cap = no cap up to n={ $n }
cap-per-page-refused = { $n } per page (a larger n is refused)
cap-read-only = Berth is read-only (BERTH_READ_ONLY), so it sends no DELETE at all
cap-no-probe-name = could not make a probe repository name
cap-delete-absent = a DELETE of an absent digest answered { $code }
cap-delete-off = a DELETE answered { $code }: set storage.delete.enabled: true to allow deletes
cap-delete-denied = your account may not delete: { $detail }
cap-delete-accepted = the registry accepted the DELETE
cap-tags-paged = tags/list?n=1 on { $repo } returned 1 tag and a Link
cap-tags-unpaged = tags/list?n=1 on { $repo } returned all { $n } tags at once
cap-single-tag = { $repo } has a single tag
cap-no-tag = { $repo } has no tag to ask about
cap-referrers-yes = GET /v2/<name>/referrers/<digest> answers an index
cap-referrers-no = no referrers API; Berth reads the sha256-<hex> fallback tags instead

## A tag (from the server)
tag-legacy-read-only = This is a legacy Docker schema 1 manifest. Berth shows it read-only; re-push the image with a current Docker to manage it here.

## Referrers
tag-referrers-api = the OCI referrers API
tag-referrers-fallback = the fallback tag { $tag }

## Delete errors (after a form post)
delete-error-disabled = Deleting is disabled in the registry's configuration (storage.delete.enabled is false). Nothing was deleted after this point. Set storage.delete.enabled: true and restart the registry.
delete-error-forbidden = You are not allowed to delete in this registry.
delete-error-not-found = The manifest was already gone.
delete-error-bad-request = The delete request was not valid.
delete-error-unreachable = The registry could not be reached while deleting.
delete-error-unavailable = Berth could not write the delete to its audit log, so it deleted nothing from this point. Check Berth's database (see /readyz and Berth's log).
delete-error-refused = The registry refused the delete.
too-many-title = Too many attempts
too-many-heading = Too many failed logins
too-many-body = Too many wrong passwords came from your address or for this username. Try again in { $secs } seconds.
too-many-back = Back to the login form
search-title = Search
search-label = Search the registry
search-placeholder = Tags, digests, label:key=value…
search-button = Search
search-help = Finds repository names and tags (any part), digests (6 or more hex digits, of a manifest, a layer or a config), label:key=value, label:key, platform:linux/arm64, and kind:image, index, artifact, signature, attestation or helm. Every word must match.
search-loading = Searching…
search-summary = { $tags ->
    [one] 1 tag
   *[other] { $tags } tags
} in { $repositories ->
    [one] 1 repository
   *[other] { $repositories } repositories
}.
search-truncated = More tags match than the { $max } shown: these are the first repositories found, with their matches in full. Add words to narrow the search.
search-repositories = { $n ->
    [one] 1 repository by name
   *[other] { $n } repositories by name
}
search-repositories-more = More repositories match than the first { $max }; add a word to narrow them down.
search-empty = Nothing matches.
search-all-results = All results for “{ $q }”
search-index-off = Repository names are matched in the whole catalog; tags, digests, labels and platforms only in the repositories users have opened, as no account reads the whole registry. An admin can set BERTH_INDEX_USERNAME and BERTH_INDEX_PASSWORD for all of it.
search-index-never = The index has not finished its first sync; results may be incomplete.
search-index-synced = From the index, last synced { $when }; pushes and deletes the registry reports are included at once.
search-error-index = The index cannot be read right now.
search-error-too-long = The search is too long: at most { $max } characters.
search-error-too-many = Too many words: at most { $max }.
search-error-empty = “{ $prefix }:” needs something after it.
search-error-kind = There is no kind “{ $kind }”; use one of { $kinds }.
search-error-prefix = “{ $prefix }:” is not a search word; use label:, platform: or kind:.
search-error-digest = “{ $word }” is not a digest prefix: use at least { $min } hex digits.
header-search-label = Search the registry (press /)
col-kind = Kind
kind-image = image
kind-index = index
kind-artifact = artifact
kind-signature = signature
kind-attestation = attestation
kind-legacy = legacy
kind-other = other

# What a delete frees (delete confirmation)
frees-bytes = { $blobs ->
    [0] After this delete, garbage-collect would free nothing: every blob of it is still used by another manifest.
    [one] After this delete, garbage-collect would free { $size } ({ $bytes } bytes in 1 blob no other manifest uses).
   *[other] After this delete, garbage-collect would free { $size } ({ $bytes } bytes in { $blobs } blobs no other manifest uses).
}
frees-note = Counted from Berth's index of the whole registry (last full sync { $when }, pushes and deletes the registry reports since included). Manifests without a tag are not in the index: any that share these blobs keep them.
frees-note-never = Counted from Berth's index, which has not finished a full sync yet: the figure may be too high.
frees-index-off = Berth has no account that reads the whole registry (BERTH_INDEX_USERNAME), so it cannot say what garbage-collect would free: a blob may be used in a repository it has not seen.
frees-undescribed = { $n ->
    [one] The index has not described this manifest yet, so it cannot say what garbage-collect would free. Sync the index on the registry page, then reload.
   *[other] The index has not described { $n } of these manifests yet, so it cannot say what garbage-collect would free. Sync the index on the registry page, then reload.
}
frees-error = The index could not be read, so Berth cannot say what garbage-collect would free.
storage-error-index = The index cannot be read right now, so Berth cannot show where the space goes.

# Storage
nav-storage = Storage
storage-title = Storage
storage-loading = Adding up the registry…
storage-index-off = These figures cover only the repositories users have opened: no account reads the whole registry (an admin can set BERTH_INDEX_USERNAME and BERTH_INDEX_PASSWORD). Exclusive and shared are counted among those repositories alone.
storage-scope-all = Every repository in the registry. Sizes are unique blobs (manifests, configs and layers) as the registry stores them: a layer used by many images counts once.
storage-scope-own = Only the repositories you can read. Exclusive still means "used by no other repository", including ones you cannot see.
storage-unchecked = Some repositories could not all be checked for you in one go and are left out.
storage-total = Unique blobs
storage-blobs = Blobs
stat-repositories = Repositories
stat-tags = Tags
storage-empty = The index holds no images yet.
storage-by-repository = By repository
storage-split-help = Exclusive: blobs no other repository uses, which deleting every tag of the repository would free. Shared: blobs other repositories use too.
storage-exclusive = Exclusive
storage-shared = Shared
storage-bars-title = { $n ->
    [one] The largest repository, exclusive and shared bytes
   *[other] The { $n } largest repositories, exclusive and shared bytes
}
storage-total-col = Total
storage-more-repositories = { $n } more repositories are not listed (only the { $max } largest are).
storage-largest-layers = Largest layers
storage-used-by = Used by
storage-more-users = and { $n } more
storage-growth = Growth
storage-growth-help = The total of today's blobs by when each first appeared: an image's build time, or when Berth first saw it if that is earlier. Deleted content is not in the index, so this line never goes down.
storage-gc-hint = Space is given back only when the registry's garbage-collect runs (registry garbage-collect /etc/docker/registry/config.yml); deleting in Berth only unlinks.

# Dashboard (top of the landing page)
dashboard-label = Registry overview
dashboard-unavailable = The overview is not available right now ({ $reason }). The repositories are listed below.
dashboard-exclusive = { $size } its own
dashboard-largest = Biggest
dashboard-storage-link = Where the space goes →
dashboard-recent = Recent pushes
dashboard-recent-none = No pushes seen yet.
dashboard-recent-events = From the registry's notifications.
dashboard-recent-index = From the index: when Berth first saw each tag where it points now (turn on registry notifications for the exact push times).
dashboard-activity-link = All activity →

# Retention
retention-error-database = Berth could not read its database to plan retention, so it planned and deleted nothing. Check Berth's database (see /readyz and Berth's log).
delete-protected = { $tags } is protected (BERTH_PROTECTED_TAGS), and deleting this image would delete it too, so Berth deletes nothing here. Move the tag first, or change BERTH_PROTECTED_TAGS.
error-title-conflict = Changed in the meantime
error-title-protected = Protected tag
delete-error-protected = A protected tag (BERTH_PROTECTED_TAGS) points at that image, so nothing was deleted.
delete-protection-unknown = Berth could not read from the registry which tags point at this image now ({ $detail }), so it cannot tell whether a protected tag (BERTH_PROTECTED_TAGS) would go with it. Nothing was deleted. Try again when the registry answers.
error-title-protection-unknown = Protected tags not checked
delete-error-protection-unknown = Berth could not check the image's tags against BERTH_PROTECTED_TAGS, so nothing was deleted. Try again when the registry answers.

## Retention: /admin/retention and its runs
nav-retention = Retention
col-name = Name
col-actions = Actions
retention-title = Retention policies
retention-loading = Loading retention…
retention-intro = A policy covers repositories and tags; its rules say which of them to keep. A covered tag that no rule keeps is deleted, but only after a dry run that you review and apply. A digest that any kept tag also points to is never deleted, nor is an image a kept index or signature needs.
retention-protected = Protected tags, never deleted by a policy or from the UI: { $globs } (BERTH_PROTECTED_TAGS).
retention-protected-none = No tag is protected (BERTH_PROTECTED_TAGS is empty).
retention-no-pulls = The registry has not reported any pull, so the "pulled within" rule is off: it keeps nothing and deletes nothing until pull events arrive.
retention-file = Policies marked "file" come from { $path } and are read-only here.
retention-policies = Policies
retention-none = No policy yet. Write one below, or set BERTH_RETENTION_FILE.
retention-dry-run-all = Dry run of every policy
retention-dry-run = Dry run
retention-edit = Edit
retention-delete-policy = Delete policy…
retention-delete-confirm = Delete the policy “{ $name }”? Only the policy goes: no image is deleted, and its schedule stops.
retention-delete-policy-named = Delete policy { $name }
retention-delete-unconfirmed = Nothing was deleted: deleting the policy “{ $name }” needs its confirmation. Use the Delete button on the retention page.
retention-outdated-deleted = The policy “{ $name }” was deleted after this dry run, so this plan can no longer be applied.
retention-outdated-changed = The policy “{ $name }” was changed after this dry run, so this plan can no longer be applied. Dry run it again.
retention-col-repositories = Repositories
retention-col-rules = Keeps
retention-col-schedule = Schedule
retention-col-policy = Policy
retention-col-kind = Run
retention-col-deleted = Manifests
retention-col-reason = Why it goes
retention-col-rule = Kept by
retention-source-database = written here
retention-source-file = file
retention-updated = saved by { $who } at { $when }
retention-tags-all = every tag
retention-tags-except = every tag but { $filter }
retention-schedule-off = only when asked
retention-schedule-next = { $cron } (next { $next } UTC)
retention-rule-last = the { $n } most recently pushed
retention-rule-versions = the { $n } highest versions
retention-rule-days = tags pushed within { $n } days
retention-rule-pulled = tags pulled within { $n } days
retention-rule-keep = always: { $globs }
retention-rule-none = nothing: every covered tag goes
retention-form-new = New policy
retention-form-edit = Edit policy { $name }
retention-hint-repositories = A glob over repository names: * stays within one path segment, ** crosses them (team-a/**, */cache).
retention-tag-filter = Which tags it looks at
retention-glob = glob
retention-regex = regular expression
retention-exclude = every tag except these
retention-keep-rules = Keep
retention-keep-last = the most recently pushed
retention-keep-versions = the highest versions
retention-keep-days = tags pushed within (days)
retention-keep-pulled-days = tags pulled within (days)
retention-keep-globs = always keep tags matching (globs, comma-separated)
retention-hint-schedule = Optional. A cron expression in UTC (minute hour day month weekday, e.g. 0 3 * * * for 03:00 daily). A scheduled run applies its plan without review; leave it empty to run only when asked.
retention-save = Save policy
retention-cancel = Cancel
retention-saved = Policy { $name } saved. Run a dry run to see what it would delete.
retention-removed = Policy deleted. No image was deleted.
retention-name-in-file = A policy in BERTH_RETENTION_FILE is called { $name }; choose another name.
retention-name-taken = A policy called { $name } exists already; choose another name.
retention-no-policy = There is no stored policy called { $name }.
retention-runs = Recent runs
retention-no-runs = No run yet.
retention-all-policies = every policy
retention-kind-dry-run = dry run
retention-kind-apply = apply
retention-kind-scheduled = scheduled apply
retention-would-delete = would delete { $n }
retention-status-running = running
retention-status-done = done
retention-status-failed = failed
retention-status-stale = refused: the registry changed
retention-status-interrupted = interrupted
retention-run-title = Retention run { $id }
retention-no-run = There is no retention run { $id }.
retention-no-plan = Retention run { $id } has no plan.
retention-started = Started
retention-finished = Finished
retention-running-hint = Reading the registry afresh and planning, or deleting; this page reloads itself until the run ends.
retention-progress = { $done } of { $total } manifests handled
retention-stale = The registry changed since the plan you reviewed ({ $reviewed }): a tag moved or an image was pushed. Nothing was deleted. Below is the plan as it stands now; review it and apply again.
retention-interrupted = The replica running this stopped before it finished. The audit log shows each delete it made.
retention-outcome = { $deleted } of { $total ->
        [one] 1 manifest
       *[other] { $total } manifests
    } deleted
retention-failed-because = failed: { $why }
retention-skipped = not attempted: an earlier delete in this repository failed
retention-plan = Plan
retention-plan-summary = { $tags ->
        [one] 1 tag
       *[other] { $tags } tags
    }, { $manifests ->
        [one] 1 manifest
       *[other] { $manifests } manifests
    } to delete; garbage-collect would then free { $frees }.
retention-frees-unknown = an unknown amount
retention-plan-hash = Plan
retention-download-json = Download as JSON
retention-apply-hint = Apply deletes exactly these manifests, if the registry still gives this plan; if a tag moved or an image was pushed since, nothing is deleted and the new plan is shown. Every delete goes to the audit log under the policy's name.
retention-apply = Apply: delete { $manifests ->
        [one] 1 manifest
       *[other] { $manifests } manifests
    }
retention-policy-heading = Policy { $name }
retention-no-repositories = No repository matches this policy.
retention-repo-summary = delete { $tags ->
        [one] 1 tag
       *[other] { $tags } tags
    } ({ $manifests ->
        [one] 1 manifest
       *[other] { $manifests } manifests
    }), keep { $kept }; garbage-collect would then free { $frees }
retention-kept = { $n ->
        [one] 1 tag kept, and why
       *[other] { $n } tags kept, and why
    }
retention-untouched = { $n ->
        [one] 1 repository where nothing goes
       *[other] { $n } repositories where nothing goes
    }
tag-no-instruction = (no instruction recorded)
tag-build-args = with { $args }
tag-layer-ref = layer { $n }
retention-read-only = BERTH_READ_ONLY is set: dry runs work, but nothing is applied and no schedule runs.

## Files of an image
files-title = Files of { $image }
files-crumb = files
files-loading = Reading the image's layers…
files-heading = Files of { $image }
files-heading-layer = Layer { $n } of { $image }
files-layer-facts = { $digest } · { $media_type } · { $size }
files-platform = Platform
files-view = Show
files-merged = the image (every layer applied)
files-layer-option = layer { $n }: { $digest } ({ $size })
files-filter = Filter paths
files-sort = Sort by
files-sort-path = path
files-sort-size = size, largest first
files-show = Show
files-summary = { $n ->
    [one] one entry
   *[other] { $entries } entries
}, { $size } in files
files-listing = Files
files-noun = entries
files-col-path = Path
files-col-type = Type
files-col-mode = Mode
files-col-owner = Owner
files-col-mtime = Modified
files-col-layer = Layer
files-col-fate = In the image
files-none = No entries.
files-gone = { $n ->
    [one] One path was removed by a later layer
   *[other] { $n } paths were removed by later layers
}
files-gone-from = From layer
files-gone-by = Removed by layer
files-kind-whiteout = whiteout (deletes this path below)
files-kind-opaque = opaque whiteout (empties this directory below)
files-from-layer = layer { $n }
files-replaced = replaces layer { $layers }
files-fate-deletes = deletes it from lower layers
files-fate-overwritten = overwritten by layer { $n }
files-fate-deleted = deleted by layer { $n }
files-fate-kept = yes
files-cut = name cut
files-resolved = Resolves to
files-download = Download
files-close = Close
files-text-more = Only the first MiB is shown; download the file for the rest.
files-hex-more = Not text: the first 64 KiB are shown as hex; download the file for the rest.
files-dir-listing = List this directory
files-special = A device, fifo or other special file: it has no content to show.
files-sizes = Size by directory: { $dir }
files-up = Up one directory
files-files-here = files here: { $size } ({ $n ->
    [one] one file
   *[other] { $n } files
})
files-dir-bar = { $path }: { $size } ({ $n ->
    [one] one file
   *[other] { $n } files
})
files-largest = { $n ->
    [one] The largest file
   *[other] The { $n } largest files
}
files-not-an-image = { $tag } is not a container image: it has no files to show.
files-no-such-platform = { $tag } has no image for { $platform }.
files-no-such-layer = The image has { $count } layers; there is no layer { $n }.
files-no-such-path = The image has no { $path }.
files-deleted = { $path } was deleted by layer { $by }.
files-not-a-file = { $path } is not a regular file: there is nothing to download.
files-bad-layer = "{ $layer }" is not a layer number: layers are counted from 0.
files-bad-download = A download names a repository, a tag and a path.
files-error-title = Berth will not read this layer
files-listing-too-large = This layer's list of files passes { $mb } MB, the most Berth keeps for one layer or one image (BERTH_LAYER_LIST_MB). Berth stopped reading it there.
files-listing-too-many = This layer has more than { $max } entries, the most Berth lists for one image. Berth stopped reading it there.
files-listing-too-slow = Reading this layer took longer than { $secs } seconds, so Berth stopped. Try again later.
files-listing-abandoned = The request reading this layer ended before the layer was read. Try again.
files-reads-busy = Berth is reading other layers for the first time; try again in a moment.
files-downloads-busy = Too many downloads are running; try again in a moment.
files-downloads-of-user = You have { $max } downloads running; wait for one to end before starting another.
tag-browse-files = Browse the image's files
tag-layer-files = files

## Comparing two tags
compare-title = Compare tags of { $repo }
compare-ticked-count = { $n ->
    [one] Compare takes two tags, and 1 was ticked. Pick the other one below.
   *[other] Compare takes exactly two tags, and { $n } were ticked. Pick two below.
}
compare-crumb = compare
compare-a = Before (a)
compare-b = After (b)
compare-b-repo = b from repository
compare-go = Compare
compare-pick = Pick two tags to compare: their platforms, layers, config and files.
compare-platforms-added = Platforms only in b
compare-platforms-removed = Platforms only in a
compare-same = Both tags point at the same image.
compare-layers = Layers
compare-change = Change
compare-shared = shared
compare-added = added
compare-removed = removed
compare-changed = changed
compare-config = Config
compare-config-same = The config is the same.
compare-field = Field
compare-files = Files
compare-file-counts = { $added } added, { $removed } removed, { $changed } changed
compare-files-cut = The first { $shown } of { $total } changed paths are listed.
compare-diff = diff
compare-diff-same = Same content; only its metadata changed.
compare-diff-binary = Not text on one side: no line diff.
compare-with = Compare with…
tag-compare = Compare
