//! The calendar page: by week and month in Bangkok time, Buddhist Era dates, filters, each
//! channel's state, and department staff kept to their own department.

use chrono::Datelike;

use super::*;

#[tokio::test]
async fn the_calendar_shows_the_week_and_the_month_with_each_channel_s_state() {
    let w = world().await;
    w.person("pr1", "pr_officer", None).await;
    w.person("p1", "department_staff", Some("prevention")).await;
    let officer = w.signed_in("pr1").await;
    let staff = w.signed_in("p1").await;

    // Signed out: to the sign-in page.
    let out = w.get("/desk/calendar", None).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(out.location.as_deref(), Some("/"));

    let traffic = id_from(
        &w.submit(&officer, "traffic", "ข่าวจราจรสัปดาห์นี้")
            .await
            .location
            .unwrap(),
    );
    let prevention = id_from(
        &w.submit(&officer, "prevention", "ข่าวป้องกันสัปดาห์นี้")
            .await
            .location
            .unwrap(),
    );
    // One far ahead, on 5 January 2600 BE (2057), 08:30 Bangkok.
    let token = w.token("pr1").await;
    let (status, later) = w
        .api(
            "POST",
            "/api/v1/announcements",
            Some(&token),
            Some(serde_json::json!({
                "department": "traffic",
                "title": "ข่าวปีหน้า",
                "text": "ข่าวล่วงหน้า",
                "channels": ["website"],
                "at": "2600-01-05 08:30",
            })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{later}");

    let week = w.get("/desk/calendar", Some(&officer.cookie)).await;
    assert_eq!(week.status, StatusCode::OK, "{}", week.body);
    let today = prakat_adapters::thai::dates::bangkok(w.clock.now()).date_naive();
    assert!(
        week.body.contains(&crate::desk::calendar::day_name(
            crate::i18n::Lang::Th,
            today
        )),
        "today's heading, in Thai with the BE year"
    );
    for id in [traffic, prevention] {
        assert!(week.body.contains(&format!("/desk/announcements/{id}")));
    }
    assert!(
        week.body
            .contains("<span class=\"chip queued\">website: รอส่ง</span>"),
        "{}",
        week.body
    );
    assert!(!week.body.contains("ข่าวปีหน้า"), "not this week");
    for control in ["cal-view", "cal-date", "cal-department", "cal-channel"] {
        assert!(
            week.body.contains(&format!("<label for=\"{control}\">"))
                && week.body.contains(&format!("id=\"{control}\"")),
            "{control} is labelled"
        );
    }
    assert!(week.body.contains("rel=\"prev\"") && week.body.contains("rel=\"next\""));

    // The month of the one far ahead, asked with a BE year; its neighbours linked.
    let month = w
        .get(
            "/desk/calendar?view=month&date=2600-01-20",
            Some(&officer.cookie),
        )
        .await;
    assert_eq!(month.status, StatusCode::OK);
    assert!(month.body.contains("มกราคม 2600"), "the month in BE");
    assert!(month.body.contains("ข่าวปีหน้า"));
    assert!(month.body.contains("ที่ 5 มกราคม 2600"), "its day");
    assert!(month.body.contains(">08.30<"), "its Bangkok time");
    assert!(!month.body.contains("ข่าวจราจรสัปดาห์นี้"));
    assert!(
        month
            .body
            .contains("/desk/calendar?view=month&amp;date=2056-12-01")
    );
    assert!(
        month
            .body
            .contains("/desk/calendar?view=month&amp;date=2057-02-01")
    );

    // Filters: by department, by channel; the choice is kept in the links.
    let only = w
        .get(
            "/desk/calendar?view=week&department=prevention",
            Some(&officer.cookie),
        )
        .await;
    assert!(only.body.contains("ข่าวป้องกันสัปดาห์นี้"));
    assert!(!only.body.contains("ข่าวจราจรสัปดาห์นี้"));
    assert!(only.body.contains("department=prevention"));
    let outbox = w
        .get("/desk/calendar?channel=outbox", Some(&officer.cookie))
        .await;
    assert!(outbox.body.contains("outbox: "));
    assert!(!outbox.body.contains("website: "));

    // Staff see their own department only, whatever the link asks.
    for path in ["/desk/calendar", "/desk/calendar?department=traffic"] {
        let mine = w.get(path, Some(&staff.cookie)).await;
        assert_eq!(mine.status, StatusCode::OK);
        assert!(mine.body.contains("ข่าวป้องกันสัปดาห์นี้"), "{path}");
        assert!(!mine.body.contains("ข่าวจราจร"), "{path}");
        assert!(!mine.body.contains("value=\"traffic\""), "{path}");
    }

    // A link typed wrong shows the current week, not an error.
    let odd = w
        .get(
            "/desk/calendar?view=year&date=31/12&after=x&channel=nosuch",
            Some(&officer.cookie),
        )
        .await;
    assert_eq!(odd.status, StatusCode::OK);
    assert!(odd.body.contains("ข่าวจราจรสัปดาห์นี้"));

    // English: the same week in English, the year still BE.
    let en = format!("{}; {}=en", officer.cookie, auth::LANG_COOKIE);
    let english = w.get("/desk/calendar", Some(&en)).await;
    assert!(english.body.contains("Publishing calendar"));
    assert!(
        english
            .body
            .contains(&format!(" BE {}", today.year() + 543))
    );
}
