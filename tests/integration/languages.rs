//! English and Chinese: the language comes from the `berth_lang` cookie,
//! else `Accept-Language`; pages, dates, counts and server-function errors
//! all follow it.

use crate::pages::text;
use crate::support::Env;

async fn get_in(b: &crate::support::berth::Browser, path: &str, lang: &str) -> (u16, String) {
    let resp = b
        .http
        .get(format!("{}{path}", b.base))
        .header("accept-language", lang)
        .send()
        .await
        .expect("GET");
    let status = resp.status().as_u16();
    (status, resp.text().await.unwrap_or_default())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accept_language_picks_chinese_or_english() {
    let env = Env::start(true, &[]).await;
    let b = env.admin().await;

    let (status, body) = get_in(&b, "/", "zh-CN,zh;q=0.9,en;q=0.5").await;
    assert_eq!(status, 200);
    assert!(body.contains("<html lang=\"zh-CN\""), "{}", &body[..200]);
    let t = text(&body);
    assert!(t.contains("共 4 个仓库"), "{t}");
    assert!(t.contains("退出登录"), "{t}");

    let (_, body) = get_in(&b, "/r/library/alpine", "zh-CN").await;
    let t = text(&body);
    assert!(t.contains("共 3 个标签"), "{t}");
    assert!(body.contains("data-label=\"摘要\""));
    // A date and how long ago, in Chinese.
    assert!(
        t.contains("年") && t.contains("月") && t.contains("日 "),
        "{t}"
    );
    assert!(
        ["刚刚", "分钟前", "小时前", "天前", "个月前", "年前"]
            .iter()
            .any(|w| t.contains(w)),
        "{t}"
    );

    // A language Berth does not have falls back to English.
    let (_, body) = get_in(&b, "/", "de-DE,fr;q=0.8").await;
    assert!(body.contains("<html lang=\"en\""));
    assert!(text(&body).contains("4 repositories"));

    // Errors too: the 404 page.
    let (status, body) = get_in(&b, "/r/no/such/repo", "zh-CN").await;
    assert_eq!(status, 404);
    let t = text(&body);
    assert!(t.contains("未找到"), "{t}");
    assert!(t.contains("没有名为 no/such/repo 的仓库"), "{t}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_header_switch_sets_a_cookie_that_wins() {
    let env = Env::start(true, &[]).await;
    let b = env.admin().await;
    let page = b.get("/").await;
    // The switch is a plain link per language, named in that language.
    assert!(page
        .body
        .contains("href=\"/prefs?lang=zh-CN&amp;next=%2F\""));
    assert!(page.body.contains(">简体中文</a>"));

    let set = b
        .get("/prefs?lang=zh-CN&next=%2Fr%2Flibrary%2Falpine")
        .await;
    assert_eq!(set.status, 303);
    assert_eq!(set.location.as_deref(), Some("/r/library/alpine"));
    // The cookie beats an English Accept-Language.
    let (_, body) = get_in(&b, "/r/library/alpine", "en-US").await;
    assert!(body.contains("<html lang=\"zh-CN\""));
    assert!(text(&body).contains("共 3 个标签"));

    // An unknown language changes nothing; English can be chosen back.
    b.get("/prefs?lang=%22%3E%3Cscript%3E&next=%2F").await;
    let (_, body) = get_in(&b, "/", "en-US").await;
    assert!(body.contains("<html lang=\"zh-CN\""));
    b.get("/prefs?lang=en&next=%2F").await;
    let (_, body) = get_in(&b, "/", "zh-CN").await;
    assert!(body.contains("<html lang=\"en\""));
    assert!(text(&body).contains("4 repositories"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_function_errors_arrive_in_the_readers_language() {
    let env = Env::start(true, &[]).await;
    let b = env.admin().await;
    let resp = b
        .post_api_in(
            "/api/plan_delete",
            &[("repository", "library/alpine"), ("tags", "")],
            "zh-CN",
        )
        .await;
    assert_eq!(resp.status, 400);
    let json = resp.body;
    // Already in Chinese: the browser that shows it has no translations.
    assert!(json.contains("Localized"), "{json}");
    assert!(json.contains("请至少选择一个要删除的标签"), "{json}");
    assert!(json.contains("请求有误"), "{json}");
}
