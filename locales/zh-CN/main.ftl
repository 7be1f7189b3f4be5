
## Languages, themes and the header
language-name = 简体中文
language-switch-label = 语言
theme-switch-label = 主题
theme-auto = 自动
theme-light = 浅色
theme-dark = 深色
nav-label = 主导航
nav-repositories = 仓库
nav-activity = 动态
nav-registry = 镜像仓库服务
nav-audit = 审计日志
logout = 退出登录
role-admin = 管理员
role-viewer = 只读用户
page-title = { $page } · Berth

## Dates, times and numbers
format-date = { $year }年{ $month }月{ $day }日 { $time } UTC
format-instant = { $year }年{ $month }月{ $day }日 { $time } UTC
time-future = 未来
time-just-now = 刚刚
time-minutes-ago = { $n } 分钟前
time-hours-ago = { $n } 小时前
time-days-ago = { $n } 天前
time-months-ago = { $n } 个月前
time-years-ago = { $n } 年前
unknown = 未知
none-dash = —

## Pages of long lists
pager-label = 分页
pager-previous = ← 上一页
pager-next = 下一页 →
pager-info = { $noun }第 { $first }–{ $last } 条，共 { $total } 条 · 第 { $page } / { $pages } 页
pager-why = 超过 { $rows } 行（BERTH_MAX_ROWS），因此 Berth 分页显示。
pager-noun-tags = 标签
pager-noun-repositories = 仓库
pager-noun-events = 事件
pager-noun-entries = 记录

## Column headings
col-when = 时间
col-time = 时间
col-action = 操作
col-repository = 仓库
col-tag = 标签
col-tags = 标签
col-digest = 摘要
col-registry-user = 仓库用户
col-client = 客户端
col-user = 用户
col-address = 地址
col-result = 结果
col-request-id = 请求 ID
col-size = 大小
col-created = 创建时间
col-last-pulled = 最近拉取
col-pulls-30d = 拉取次数（30 天）
col-pulls-30d-title = 仓库报告的最近 30 天拉取次数
col-platforms = 平台
col-pull = 拉取
col-select = 选择
col-media-type = 媒体类型
col-artifact-type = 制品类型
col-share = 占比
col-check = 检查项
col-answer = 结果
col-how = Berth 如何得知
col-tags-chosen = 你选择的标签
col-also-removed = 一并删除
delete-more-tags = 另有 { $n } 个

## Activity
event-push = 推送
event-pull = 拉取
event-delete = 删除
events-off-1 = Berth 没有接收仓库通知，因此没有动态可显示。请设置 BERTH_EVENTS_TOKEN，并把仓库配置中的
events-off-2 = 指向 Berth 的
events-off-3 = （见 README）。
activity-title = 动态
activity-action-label = 操作
activity-any = 全部
filter-button = 筛选
activity-loading = 正在读取动态…
activity-empty = 还没有任何动态。
activity-recent = 最近动态
activity-all = 全部动态

## Shared
crumbs-label = 当前位置
loading = 加载中…

## Audit log
audit-repository-placeholder = 仓库名，或用 team-a/ 表示整个命名空间
audit-login = 登录
audit-logout = 退出登录
audit-delete = 删除
audit-remove-tag = 移除标签
audit-from = 从
audit-to = 到
filter-clear = 清除
audit-loading = 正在读取审计日志…
audit-count = 共 { $total } 条 · 保留 { $days } 天（BERTH_AUDIT_DAYS）
audit-export = 导出：
audit-jsonl = JSON Lines
audit-empty = 没有匹配的记录。
audit-result-ok = 成功
audit-result-started = 进行中
audit-result-failed = 失败
audit-result-denied = 被拒绝

## Login
login-title = 登录
login-hint = 请使用 docker login 时的用户名和密码。
login-logged-out = 你已退出登录。
login-username = 用户名
login-password = 密码
login-button = 登录
login-error-invalid = 用户名或密码错误。
login-error-unreachable = Berth 无法连接镜像仓库来验证你的登录。请重试，或请管理员检查镜像仓库。
login-error-not-registry = Berth 配置的仓库地址不是 Registry API v2 服务。请管理员检查 BERTH_REGISTRY_URL。
login-error-registry-open = 该镜像仓库无需密码即可访问，因此无法验证你的密码。请管理员以 BERTH_AUTH=none（只读浏览）或 BERTH_AUTH=htpasswd 运行 Berth。
login-error-foreign-realm = 镜像仓库要求 Berth 把你的密码发送到另一台 Berth 不信任的服务器，因此你的密码没有发送到任何地方。请管理员检查仓库的令牌服务地址（BERTH_TOKEN_REALMS）。
login-error-htpasswd = Berth 无法读取 htpasswd 文件。请管理员检查 BERTH_HTPASSWD。
login-error-other = 登录失败。

## Errors
error-back = 返回仓库列表
error-no-page = 此地址没有页面。
error-title-unauthenticated = 需要登录
error-title-forbidden = 无权操作
error-title-bad-request = 请求有误
error-title-not-found = 未找到
error-title-delete-disabled = 镜像仓库已禁用删除
error-title-unreachable = 无法连接镜像仓库
error-title-not-a-registry = 不是 Registry API v2 服务
error-title-registry-auth = 镜像仓库拒绝访问
error-title-foreign-origin = 镜像仓库指向了另一台服务器
error-title-protocol = 镜像仓库返回了意外的响应
error-title-internal = 服务器错误
error-title-unavailable = 暂时不可用
error-unauthenticated = 你需要登录才能查看此页面。
error-forbidden = 你的角色不允许此操作：{ $detail }
error-delete-disabled = 镜像仓库的配置禁用了删除。请在仓库的 config.yml 中设置 storage.delete.enabled: true 并重启仓库以允许删除。
error-registry-unreachable = Berth 无法连接位于 { $url } 的镜像仓库（{ $detail }）。请检查仓库是否在运行、BERTH_REGISTRY_URL 是否正确且可从 Berth 所在主机访问；如使用 https，请检查 BERTH_REGISTRY_CA 是否指定了签发其证书的 CA。
error-not-a-registry = 位于 { $url } 的服务器不是 Registry API v2 服务：GET /v2/ 返回 404。请检查 BERTH_REGISTRY_URL，它必须指向 registry:2（或兼容服务）的根地址。
error-foreign-origin = 镜像仓库让 Berth 为 { $purpose } 访问 { $origin }。那不是镜像仓库自己的服务器，所以 Berth 没有向它发送任何内容并停止了操作。如果它是你的令牌服务器，请把它的源加入 BERTH_TOKEN_REALMS。
error-registry-auth = 镜像仓库拒绝了 Berth 的凭据。{ $detail }
error-registry-protocol = 镜像仓库返回了 Berth 未预期的内容：{ $detail }
error-internal = 服务器出错：{ $detail }
error-withheld = Berth 无法完成此请求。详细信息记录在 Berth 日志中，请求 ID 为 { $id }，管理员可以在那里查到。
error-check-credentials = 请检查用户名和密码（或服务账号）。
error-registry-denied = 镜像仓库拒绝了访问（{ $detail }）
error-registry-no-such-item = 镜像仓库中没有该项目（{ $detail }）。

## Registry capabilities
registry-title = 镜像仓库能力
registry-loading = 正在探测镜像仓库…
registry-url = 地址
registry-api-version = API 版本头
registry-auth-scheme = 认证方式
registry-realm = 认证域
registry-token-service = 令牌服务
registry-round-trip = 往返时间
registry-latency = { $ms } 毫秒（5 次 GET /v2/ 的中位数）
registry-probes-harmless = 探测不会造成影响：删除检查请求删除的是一个不存在任何清单的摘要。
index-title = 仓库索引
index-off = 部分：没有能读取整个镜像仓库的账号，因此索引只包含用户打开过的仓库（每个仓库用该用户自己的凭据检查，最多每 5 分钟一次）。若要覆盖全部，请设置 BERTH_REGISTRY_USERNAME 和 BERTH_REGISTRY_PASSWORD（htpasswd 与 none 模式），或 BERTH_INDEX_USERNAME 和 BERTH_INDEX_PASSWORD（registry 模式）。
index-running = 正在同步：已完成 { $done } / { $total } 个仓库，目前共 { $tags } 个标签。
index-idle = 空闲；每 { $secs } 秒完整同步一次，其间由镜像仓库通知实时更新。
index-manual = 空闲；仅在请求时完整同步（BERTH_INDEX_INTERVAL=0），其间由镜像仓库通知实时更新。
index-last = 上次同步
index-last-value = { $when }，耗时 { $took } 秒：{ $repositories } 个仓库、{ $tags } 个标签，获取 { $fetched } 个清单，共 { $requests } 次仓库请求
index-last-error = 已中止：{ $error }
index-never = 尚未同步。
index-holds = 已收录
index-holds-value = { $repositories } 个仓库、{ $tags } 个标签、{ $manifests } 个清单、{ $blobs } 个数据块（{ $bytes }）
index-sync-now = 立即同步
index-sync-requested = 已请求同步；刷新页面即可查看进度。
verdict-yes = 是
verdict-no = 否
verdict-unknown = 未知

## Deleting
delete-title = 删除镜像
delete-confirm-title = 确认删除
delete-crumb = 删除
delete-resolving = 正在解析摘要…
dialog-close = 关闭
delete-pick-one = 请至少选择一个要删除的标签。
error-no-such-tag = { $repo } 中没有标签 { $tag }。
delete-sibling-warning = 删除清单会移除指向它的所有标签。下面标出的标签也会一并消失。
delete-index-note = 你正在删除一个多平台索引。只删除索引本身：其各平台清单会以无标签状态留在仓库中。garbage-collect --delete-untagged 会清除它们；普通的 garbage-collect 会保留它们。
badge-index = 索引
delete-hint = 删除会从镜像仓库中移除清单。只有在仓库运行 garbage-collect 之后才会释放磁盘空间。
delete-progress = 正在删除第 { $n } 个，共 { $total } 个…
delete-done = 已删除 { $deleted } / { $total } 个清单。只有在仓库运行 garbage-collect 之后才会释放磁盘空间。
delete-button = 删除 { $n } 个清单
delete-back = 返回仓库
delete-tags-only-hint = 或者保留镜像，只移除你选择的标签。同一摘要上的其他标签会保留。
delete-tags-only-button = 仅移除 { $n } 个标签

## Copying
copy-title = 复制到剪贴板
copy-button = 复制
copy-done = 已复制

## Repositories
repos-loading = 正在加载仓库…
repos-no-namespace = （无命名空间）
repos-skipped = 镜像仓库列出了 { $n } 个无效的仓库名，Berth 不会显示或链接它们。
repos-empty = 镜像仓库中还没有仓库。推送一个镜像后即可在此看到。
repos-filter-placeholder = 筛选仓库
repos-count-all = 共 { $total } 个仓库
repos-count-some = { $count } 个，共 { $total } 个仓库

## Tags
tags-loading = 正在加载标签…
tags-deleted = 已删除 { $n } 个清单。只有在仓库运行 garbage-collect 之后才会释放磁盘空间。
tags-removed = 已移除 { $n } 个标签，镜像仍然保留。
tags-count = 共 { $n } 个标签
tags-checked = { $when }已与镜像仓库核对标签。
tags-refresh = 立即核对
tags-and-signatures = （另有 { $n } 个签名标签）
tags-hide-signatures = 隐藏 { $n } 个签名标签
tags-show-signatures = 显示 { $n } 个签名标签
sort-by = 排序：
sort-name = 名称
sort-version = 版本
sort-date = 日期
sort-last-pulled = 最近拉取
sort-pulls = 拉取次数
tags-skipped = 镜像仓库列出了 { $n } 个无效的标签名，Berth 不会显示或链接它们。
tags-empty = 此仓库没有标签。
tags-delete-selected = 删除所选…
tags-compare-ticked = 比较勾选的两个
tags-select = 选择 { $tag }
badge-missing = 缺失
badge-missing-title = 索引引用了此清单，但镜像仓库中没有它
badge-attested = 有证明
badge-attested-title = 此平台的 buildx 证明（来源证明 / SBOM）
badge-artifact-title = OCI 制品，不是可运行的镜像
badge-legacy = 旧版 schema 1
badge-legacy-title = Docker schema 1：只读
badge-signed = 已签名
badge-has = 附带
tags-cosign-tag-for = cosign 标签，对应
tags-same-digest = 摘要相同：
tags-same-digest-title = 这些标签指向同一个清单
tags-same-digest-more = 另有 { $count } 个：同一镜像
tags-none-seen = 未见
tags-none-seen-title = 自 Berth 开始接收仓库通知以来没有拉取记录

## A tag
tag-loading = 正在加载标签…
tag-total-size = 总大小
tag-same-digest = 相同摘要
tag-delete = 删除此镜像…
tag-signed = 签名
tag-signed-intro = 此仓库中以下 cosign 风格的标签指向此摘要：
tag-referrers = 引用者（{ $n }）
tag-referrers-source = 来源：{ $source }。
tag-platforms = 平台（{ $n }）
tag-orphan-attestations = 不在此索引中的平台的证明
tag-other-media-type = Berth 不解析此媒体类型，原始清单见下方。
tag-raw-manifest = 原始清单 JSON
tag-no-predicate = 未记录谓词类型
tag-attestation = 证明
tag-attestation-for = 对应
tag-helm-chart = Helm chart
tag-oci-artifact = OCI 制品
tag-artifact-notice = 这不是可运行的镜像，Berth 显示的是该制品声明的内容。
tag-chart = Chart
tag-version = 版本
tag-app-version = 应用版本
tag-description = 描述
tag-config-type = 配置类型
tag-refers-to = 引用
tag-annotations = 注解
tag-blobs = 数据块（{ $n }）
tag-legacy-title = 旧版 Docker schema 1 清单
tag-name = 名称
tag-architecture = 架构
tag-layers-count = 层
tag-signed-jws = 是（JWS）
tag-config = 配置
tag-platform = 平台
tag-entrypoint = Entrypoint
tag-cmd = Cmd
tag-working-dir = 工作目录
tag-user = 用户
tag-exposed-ports = 暴露端口
tag-env = 环境变量
tag-labels = 标签（Labels）
tag-layers = 层（{ $n }）
tag-history = 构建历史
tag-empty-layer = 空层

## Errors from the registry and Berth's own checks
error-no-catalog = 镜像仓库没有目录接口（{ $detail }）。
error-no-catalog-access = 你的仓库账号无权列出仓库（registry:catalog:*）。你有拉取权限的仓库仍可通过 /r/<name> 打开。
error-already-deleted = 此镜像已被删除：镜像仓库的 { $repo } 中已没有 { $digest }。没有删除其他任何内容。
error-no-tag-removal = 此镜像仓库不能单独移除标签，请改为删除镜像。
error-audit-unwritable = Berth 无法将此变更写入审计日志，因此没有执行。没有删除任何内容。请检查 Berth 的数据库。
error-bad-date = { $setting } 必须是类似 2026-11-28 的日期，而不是 { $value }
error-bad-audit-action = 操作必须是 login、logout、delete、remove-tag 之一，而不是 { $value }
error-audit-unreadable = Berth 无法从数据库读取审计日志。请检查 Berth 的数据库。
error-bad-export-format = 格式必须是 csv 或 jsonl，而不是 { $value }
error-bad-event-action = 操作必须是 push、pull 或 delete，而不是 { $value }
error-events-unreadable = Berth 无法从数据库读取仓库事件。
error-no-such-repository = 没有名为 { $repo } 的仓库。
forbidden-no-admins = 删除已关闭，因为 BERTH_ADMINS 没有指定任何人。请管理员把可以删除的用户设置到 BERTH_ADMINS
forbidden-delete = 只有管理员可以删除，并且 Berth 处于只读模式时不能删除
forbidden-admin-page = 此页面仅限管理员（BERTH_ADMINS）
forbidden-csrf = 表单的安全令牌缺失或已过期，请刷新页面后重试

## Registry capability checks
verdict-not-probed = 未探测
check-reachable = 可连接
check-api-v2 = Registry API v2
check-catalog = 目录
check-catalog-cap = 目录分页上限
check-delete = 允许删除
check-tag-paging = 标签列表分页
check-referrers = OCI referrers API
check-paging-referrers = 标签分页、引用者
cap-no-answer = 无响应
cap-auth-bearer = Bearer 令牌（Docker token 规范）
cap-auth-basic = Basic（例如 htpasswd）
cap-auth-none = 无（匿名访问）
cap-auth-unknown = 未知（GET /v2/ 返回 { $status }）
cap-v2-answered = 不带凭据时 GET /v2/ 返回 { $status }
cap-no-repository = 没有可用于探测的仓库
cap-listing-failed = 列出失败：{ $detail }
cap-catalog-first-page = 每页 100 个时第一页有 { $n } 个仓库
cap-catalog-first-page-more = 每页 100 个时第一页有 { $n }+ 个仓库（还有更多页）
cap-per-page-truncated = 每页 { $n } 个（分页被截断）
cap-no-cap = n={ $n } 以内没有上限
cap-per-page-refused = 每页 { $n } 个（更大的 n 会被拒绝）
cap-read-only = Berth 处于只读模式（BERTH_READ_ONLY），不会发送任何 DELETE
cap-no-probe-name = 无法生成探测用的仓库名
cap-delete-absent = 删除一个不存在的摘要时返回 { $code }
cap-delete-off = DELETE 返回 { $code }：设置 storage.delete.enabled: true 以允许删除
cap-delete-denied = 你的账号无权删除：{ $detail }
cap-delete-accepted = 镜像仓库接受了 DELETE
cap-tags-paged = 对 { $repo } 请求 tags/list?n=1 返回了 1 个标签和 Link 头
cap-tags-unpaged = 对 { $repo } 请求 tags/list?n=1 一次返回了全部 { $n } 个标签
cap-single-tag = { $repo } 只有一个标签
cap-no-tag = { $repo } 没有可用于查询的标签
cap-referrers-yes = GET /v2/<name>/referrers/<digest> 返回一个索引
cap-referrers-no = 没有 referrers API，Berth 改为读取 sha256-<hex> 回退标签

## A tag (from the server)
tag-legacy-read-only = 这是旧版 Docker schema 1 清单。Berth 以只读方式显示；请用新版 Docker 重新推送镜像后再在此管理。

## Referrers
tag-referrers-api = OCI referrers API
tag-referrers-fallback = 回退标签 { $tag }

## Delete errors (after a form post)
delete-error-disabled = 镜像仓库的配置禁用了删除（storage.delete.enabled 为 false）。从这里开始没有删除任何内容。请设置 storage.delete.enabled: true 并重启镜像仓库。
delete-error-forbidden = 你无权在此镜像仓库中删除。
delete-error-not-found = 该清单已经不存在。
delete-error-bad-request = 删除请求无效。
delete-error-unreachable = 删除过程中无法连接镜像仓库。
delete-error-unavailable = Berth 无法将删除写入审计日志，因此从这里开始没有删除任何内容。请检查 Berth 的数据库（见 /readyz 和 Berth 的日志）。
delete-error-refused = 镜像仓库拒绝了删除。
too-many-title = 尝试次数过多
too-many-heading = 登录失败次数过多
too-many-body = 来自你的地址或针对此用户名的错误密码过多。请在 { $secs } 秒后重试。
too-many-back = 返回登录页
search-title = 搜索
search-label = 搜索镜像仓库
search-placeholder = 标签、摘要、label:键=值…
search-button = 搜索
search-help = 可搜索仓库名和标签（任意部分）、摘要（至少 6 位十六进制，可以是清单、层或配置的摘要）、label:键=值、label:键、platform:linux/arm64，以及 kind:image、index、artifact、signature、attestation 或 helm。所有词都必须匹配。
search-loading = 正在搜索…
search-summary = { $repositories } 个仓库中共 { $tags } 个标签。
search-truncated = 匹配的标签多于显示的 { $max } 个：这里是最先找到的仓库及其全部匹配。请添加更多词缩小范围。
search-empty = 没有匹配的结果。
search-all-results = 查看“{ $q }”的全部结果
search-index-off = 搜索只覆盖用户打开过的仓库：没有能读取整个镜像仓库的账号。管理员可以设置 BERTH_INDEX_USERNAME 和 BERTH_INDEX_PASSWORD 以覆盖全部。
search-index-never = 索引尚未完成首次同步，结果可能不完整。
search-index-synced = 结果来自索引，上次同步于{ $when }；镜像仓库通知的推送和删除会立即计入。
search-error-index = 暂时无法读取索引。
search-error-too-long = 搜索内容过长：最多 { $max } 个字符。
search-error-too-many = 词太多：最多 { $max } 个。
search-error-empty = “{ $prefix }:” 后面需要内容。
search-error-kind = 没有 “{ $kind }” 这种类型；请使用 { $kinds } 之一。
search-error-prefix = “{ $prefix }:” 不是搜索前缀；请使用 label:、platform: 或 kind:。
search-error-digest = “{ $word }” 不是摘要前缀：至少需要 { $min } 位十六进制数字。
header-search-label = 搜索镜像仓库（按 / 键）
col-kind = 类型
kind-image = 镜像
kind-index = 多平台索引
kind-artifact = 制品
kind-signature = 签名
kind-attestation = 证明
kind-legacy = 旧格式
kind-other = 其他

# 删除会释放多少空间（删除确认）
frees-bytes = 删除之后，{ $blobs ->
    [0] garbage-collect 不会释放任何空间：其所有 blob 仍被其他清单使用。
   *[other] garbage-collect 将释放 { $size }（{ $blobs } 个没有其他清单使用的 blob，共 { $bytes } 字节）。
}
frees-note = 根据 Berth 对整个镜像仓库的索引计算（上次完整同步于{ $when }，其后镜像仓库通知的推送和删除已计入）。没有标签的清单不在索引中：若它们共用这些 blob，这些 blob 会被保留。
frees-note-never = 根据 Berth 的索引计算，但索引尚未完成完整同步：该数字可能偏高。
frees-index-off = Berth 没有能读取整个镜像仓库的账号（BERTH_INDEX_USERNAME），因此无法说明 garbage-collect 会释放多少空间：某个 blob 可能正被它未见过的仓库使用。
frees-undescribed = 索引尚未描述其中 { $n } 个清单，因此无法说明 garbage-collect 会释放多少空间。请在镜像仓库页面同步索引后重新加载。
frees-error = 无法读取索引，因此 Berth 无法说明 garbage-collect 会释放多少空间。
storage-error-index = 暂时无法读取索引，因此 Berth 无法显示空间的去向。

# 存储
nav-storage = 存储
storage-title = 存储
storage-loading = 正在统计镜像仓库…
storage-index-off = 这些数字只覆盖用户打开过的仓库：没有能读取整个镜像仓库的账号（管理员可以设置 BERTH_INDEX_USERNAME 和 BERTH_INDEX_PASSWORD）。独占与共享只在这些仓库之间计算。
storage-scope-all = 镜像仓库中的全部仓库。大小按仓库实际存储的唯一 blob（清单、配置和层）计算：被多个镜像使用的层只算一次。
storage-scope-own = 只包括你可以读取的仓库。"独占"仍指没有其他仓库（包括你看不到的仓库）使用。
storage-unchecked = 有些仓库无法一次性为你全部检查，已略去。
storage-total = 唯一 blob
storage-blobs = Blob 数
stat-repositories = 仓库
stat-tags = 标签
storage-empty = 索引中还没有镜像。
storage-by-repository = 按仓库
storage-split-help = 独占：没有其他仓库使用的 blob，删除该仓库的全部标签即可释放。共享：其他仓库也在使用的 blob。
storage-exclusive = 独占
storage-shared = 共享
storage-bars-title = 最大的 { $n } 个仓库的独占与共享字节数
storage-total-col = 合计
storage-more-repositories = 另有 { $n } 个仓库未列出（只列出最大的 { $max } 个）。
storage-largest-layers = 最大的层
storage-used-by = 使用者
storage-more-users = 以及另外 { $n } 个
storage-growth = 增长
storage-growth-help = 当前所有 blob 按首次出现时间累计：取镜像构建时间，若 Berth 首次看到它的时间更早则取后者。已删除的内容不在索引中，因此这条线不会下降。
storage-gc-hint = 只有镜像仓库运行 garbage-collect（registry garbage-collect /etc/docker/registry/config.yml）之后才会释放空间；在 Berth 中删除只是解除链接。

# 概览（首页顶部）
dashboard-label = 镜像仓库概览
dashboard-unavailable = 概览暂不可用（{ $reason }）。仓库列表见下方。
dashboard-exclusive = 独占 { $size }
dashboard-largest = 最大
dashboard-storage-link = 查看空间去向 →
dashboard-recent = 最近推送
dashboard-recent-none = 尚未看到推送。
dashboard-recent-events = 来自镜像仓库的通知。
dashboard-recent-index = 来自索引：Berth 首次看到各标签指向当前位置的时间（开启镜像仓库通知可获得准确的推送时间）。
dashboard-activity-link = 全部动态 →

# Retention
retention-error-database = Berth 无法读取数据库来制定保留计划，因此没有制定计划，也没有删除任何内容。请检查 Berth 的数据库（见 /readyz 和 Berth 的日志）。
delete-protected = { $tags } 是受保护的标签（BERTH_PROTECTED_TAGS），删除此镜像也会删除它，因此 Berth 在这里不删除任何内容。请先移动该标签，或修改 BERTH_PROTECTED_TAGS。
error-title-protected = 受保护的标签
delete-error-protected = 有受保护的标签（BERTH_PROTECTED_TAGS）指向该镜像，因此没有删除任何内容。
delete-protection-unknown = Berth 无法从镜像仓库读取当前指向此镜像的标签（{ $detail }），因此无法判断是否会连带删除受保护的标签（BERTH_PROTECTED_TAGS）。没有删除任何内容。请在镜像仓库恢复响应后重试。
error-title-protection-unknown = 未能检查受保护的标签
delete-error-protection-unknown = Berth 无法对照 BERTH_PROTECTED_TAGS 检查该镜像的标签，因此没有删除任何内容。请在镜像仓库恢复响应后重试。

## 保留策略：/admin/retention 及其运行记录
nav-retention = 保留策略
col-name = 名称
col-actions = 操作
retention-title = 保留策略
retention-loading = 正在加载保留策略…
retention-intro = 策略覆盖一组仓库和标签，其规则决定保留哪些。被覆盖但没有任何规则保留的标签会被删除，但只在你审阅并应用预演结果之后。任何被保留标签也指向的摘要绝不会被删除，被保留的索引或签名所需的镜像也不会。
retention-protected = 受保护的标签，策略和界面都不会删除：{ $globs }（BERTH_PROTECTED_TAGS）。
retention-protected-none = 没有受保护的标签（BERTH_PROTECTED_TAGS 为空）。
retention-no-pulls = 仓库尚未报告任何拉取，因此“在若干天内被拉取”规则不生效：在收到拉取事件之前，它既不保留也不删除任何标签。
retention-file = 标记为“文件”的策略来自 { $path }，在此只读。
retention-policies = 策略
retention-none = 还没有策略。可在下方新建，或设置 BERTH_RETENTION_FILE。
retention-dry-run-all = 预演全部策略
retention-dry-run = 预演
retention-edit = 编辑
retention-delete-policy = 删除策略
retention-col-repositories = 仓库
retention-col-rules = 保留
retention-col-schedule = 计划
retention-col-policy = 策略
retention-col-kind = 运行
retention-col-deleted = 清单
retention-col-reason = 删除原因
retention-col-rule = 保留依据
retention-source-database = 在此编写
retention-source-file = 文件
retention-updated = 由 { $who } 于 { $when } 保存
retention-tags-all = 全部标签
retention-tags-except = 除 { $filter } 以外的全部标签
retention-schedule-off = 仅在手动时运行
retention-schedule-next = { $cron }（下次 { $next } UTC）
retention-rule-last = 最近推送的 { $n } 个
retention-rule-versions = 版本最高的 { $n } 个
retention-rule-days = { $n } 天内推送的标签
retention-rule-pulled = { $n } 天内被拉取的标签
retention-rule-keep = 始终保留：{ $globs }
retention-rule-none = 不保留：被覆盖的标签全部删除
retention-form-new = 新建策略
retention-form-edit = 编辑策略 { $name }
retention-hint-repositories = 仓库名的通配模式：* 只匹配一段路径，** 可跨多段（team-a/**、*/cache）。
retention-tag-filter = 检查哪些标签
retention-glob = 通配模式
retention-regex = 正则表达式
retention-exclude = 除这些以外的全部标签
retention-keep-rules = 保留
retention-keep-last = 最近推送的个数
retention-keep-versions = 版本最高的个数
retention-keep-days = 在若干天内推送的标签（天）
retention-keep-pulled-days = 在若干天内被拉取的标签（天）
retention-keep-globs = 始终保留匹配的标签（通配模式，用逗号分隔）
retention-hint-schedule = 可选。UTC 时间的 cron 表达式（分 时 日 月 周，例如 0 3 * * * 表示每天 03:00）。按计划运行会不经审阅直接应用其计划；留空则只在手动时运行。
retention-save = 保存策略
retention-cancel = 取消
retention-saved = 策略 { $name } 已保存。请先预演，查看它会删除什么。
retention-removed = 策略已删除。没有删除任何镜像。
retention-name-in-file = BERTH_RETENTION_FILE 中已有名为 { $name } 的策略，请换一个名称。
retention-name-taken = 已有名为 { $name } 的策略，请换一个名称。
retention-no-policy = 没有名为 { $name } 的已保存策略。
retention-runs = 最近的运行
retention-no-runs = 还没有运行记录。
retention-all-policies = 全部策略
retention-kind-dry-run = 预演
retention-kind-apply = 应用
retention-kind-scheduled = 按计划应用
retention-would-delete = 将删除 { $n } 个
retention-status-running = 运行中
retention-status-done = 完成
retention-status-failed = 失败
retention-status-stale = 已拒绝：仓库已变化
retention-status-interrupted = 已中断
retention-run-title = 保留运行 { $id }
retention-no-run = 没有编号为 { $id } 的保留运行。
retention-no-plan = 保留运行 { $id } 没有计划。
retention-started = 开始于
retention-finished = 结束于
retention-running-hint = 正在重新读取仓库并制定计划，或正在删除；运行结束前本页会自动刷新。
retention-progress = 已处理 { $done } / { $total } 个清单
retention-stale = 自你审阅的计划（{ $reviewed }）以来仓库发生了变化：有标签移动或有新的推送。没有删除任何内容。下方是当前的计划，请审阅后再次应用。
retention-interrupted = 执行此运行的副本在完成前停止了。审计日志记录了它完成的每一次删除。
retention-outcome = 已删除 { $deleted } / { $total } 个清单
retention-failed-because = 失败：{ $why }
retention-skipped = 未尝试：此仓库中较早的删除失败了
retention-plan = 计划
retention-plan-summary = 将删除 { $tags } 个标签、{ $manifests } 个清单；之后 garbage-collect 将释放 { $frees }。
retention-frees-unknown = 未知大小
retention-plan-hash = 计划
retention-download-json = 下载 JSON
retention-apply-hint = “应用”只在仓库给出的计划仍与此相同时删除这些清单；如果之后有标签移动或有新的推送，则什么也不删除，并显示新的计划。每次删除都会以策略名记入审计日志。
retention-apply = 应用：删除 { $manifests } 个清单
retention-policy-heading = 策略 { $name }
retention-no-repositories = 没有仓库匹配此策略。
retention-repo-summary = 删除 { $tags } 个标签（{ $manifests } 个清单），保留 { $kept } 个；之后 garbage-collect 将释放 { $frees }
retention-kept = 保留了 { $n } 个标签及其依据
retention-untouched = { $n } 个仓库没有要删除的内容
tag-no-instruction = （未记录指令）
tag-build-args = 构建参数 { $args }
tag-layer-ref = 第 { $n } 层
retention-read-only = 已设置 BERTH_READ_ONLY：可以预演，但不会应用任何计划，也不会按计划运行。

## 镜像文件
files-title = { $image } 的文件
files-crumb = 文件
files-loading = 正在读取镜像的层…
files-heading = { $image } 的文件
files-heading-layer = { $image } 的第 { $n } 层
files-layer-facts = 摘要 { $digest } · 类型 { $media_type } · 大小 { $size }
files-platform = 平台
files-view = 显示
files-merged = 整个镜像（叠加所有层）
files-layer-option = 第 { $n } 层：{ $digest }（{ $size }）
files-filter = 按路径筛选
files-sort = 排序
files-sort-path = 路径
files-sort-size = 大小（从大到小）
files-show = 显示
files-summary = 共 { $n ->
   *[other] { $entries } 个条目
}，文件共 { $size }
files-listing = 文件
files-noun = 条目
files-col-path = 路径
files-col-type = 类型
files-col-mode = 权限
files-col-owner = 属主
files-col-mtime = 修改时间
files-col-layer = 层
files-col-fate = 在镜像中
files-none = 没有条目。
files-gone = { $n } 个路径被上层删除
files-gone-from = 来自第几层
files-gone-by = 被第几层删除
files-kind-whiteout = whiteout（删除下层的此路径）
files-kind-opaque = opaque whiteout（清空下层的此目录）
files-from-layer = 第 { $n } 层
files-replaced = 覆盖第 { $layers } 层
files-fate-deletes = 从下层删除它
files-fate-overwritten = 被第 { $n } 层覆盖
files-fate-deleted = 被第 { $n } 层删除
files-fate-kept = 是
files-cut = 名称被截断
files-resolved = 解析为
files-download = 下载
files-close = 关闭
files-text-more = 只显示前 1 MiB；其余部分请下载文件。
files-hex-more = 不是文本：以十六进制显示前 64 KiB；其余部分请下载文件。
files-dir-listing = 列出此目录
files-special = 设备、管道或其他特殊文件：没有可显示的内容。
files-sizes = 按目录统计大小：{ $dir }
files-up = 上一级目录
files-files-here = 此处的文件：{ $size }（{ $n } 个文件）
files-dir-bar = { $path }：{ $size }（{ $n } 个文件）
files-largest = 最大的 { $n } 个文件
files-not-an-image = { $tag } 不是容器镜像：没有文件可显示。
files-no-such-platform = { $tag } 没有 { $platform } 的镜像。
files-no-such-layer = 该镜像有 { $count } 层；没有第 { $n } 层。
files-no-such-path = 该镜像中没有 { $path }。
files-deleted = { $path } 已被第 { $by } 层删除。
files-not-a-file = { $path } 不是普通文件：没有可下载的内容。
files-bad-layer = “{ $layer }”不是层号：层号从 0 开始。
files-bad-download = 下载需要指明仓库、标签和路径。
files-error-title = Berth 不读取此层
files-listing-too-large = 此层的文件列表超过 { $mb } MB，这是 Berth 为单个层或单个镜像保存的上限（BERTH_LAYER_LIST_MB）。Berth 已在此处停止读取。
files-listing-too-many = 此层的条目超过 { $max } 个，这是 Berth 为单个镜像列出的上限。Berth 已在此处停止读取。
files-listing-too-slow = 读取此层超过 { $secs } 秒，Berth 已停止。请稍后再试。
files-listing-abandoned = 读取此层的请求在层读完之前就结束了。请重试。
files-reads-busy = Berth 正在首次读取其他层，请稍后再试。
files-downloads-busy = 正在进行的下载过多，请稍后再试。
files-downloads-of-user = 你已有 { $max } 个下载正在进行，请等其中一个结束后再开始新的下载。
tag-browse-files = 浏览镜像的文件
tag-layer-files = 文件

## 比较两个标签
compare-title = 比较 { $repo } 的标签
compare-crumb = 比较
compare-a = 之前（a）
compare-b = 之后（b）
compare-b-repo = b 所在仓库
compare-go = 比较
compare-pick = 选择两个标签进行比较：平台、层、配置和文件。
compare-platforms-added = 仅 b 有的平台
compare-platforms-removed = 仅 a 有的平台
compare-same = 两个标签指向同一个镜像。
compare-layers = 层
compare-change = 变化
compare-shared = 共有
compare-added = 新增
compare-removed = 移除
compare-changed = 变更
compare-config = 配置
compare-config-same = 配置相同。
compare-field = 字段
compare-files = 文件
compare-file-counts = 新增 { $added } 个，移除 { $removed } 个，变更 { $changed } 个
compare-files-cut = 列出了 { $total } 个变化路径中的前 { $shown } 个。
compare-diff = 差异
compare-diff-same = 内容相同；只有元数据变化。
compare-diff-binary = 有一方不是文本：无法逐行比较。
compare-with = 与…比较
tag-compare = 比较
