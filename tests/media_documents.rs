//! Documents as a media kind (migration 0015): the digest's PDF kept as a `document` and
//! attached to an announcement; the table rebuild of 0015 keeps every announcement's files
//! pointing at theirs, with the foreign keys on.

use std::path::PathBuf;

use prakat::store::{Actor, NewAnnouncement, SqliteStore, Store};
use prakat_adapters::{Department, MediaKind, MediaRef};
use sqlx::Connection;

fn media(sha: char, kind: MediaKind, mime: &str, name: &str) -> MediaRef {
    MediaRef {
        sha256: sha.to_string().repeat(64),
        mime: mime.into(),
        kind,
        size: 1234,
        path: PathBuf::from(format!("/data/media/{name}")),
        original_name: name.into(),
    }
}

#[tokio::test]
async fn a_document_is_kept_and_attached_and_the_0015_rebuild_keeps_every_file_attached() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("prakat.db");
    let url = format!("sqlite://{}", path.display());
    let store = SqliteStore::open_url(&url).await.unwrap();
    let actor = Actor::daemon("test");
    store
        .seed_departments(
            &[Department {
                code: "admin".into(),
                name_th: "งานอำนวยการ".into(),
                name_en: "Administration".into(),
            }],
            &actor,
        )
        .await
        .unwrap();
    let photo = media('a', MediaKind::Image, "image/jpeg", "a.jpg");
    let pdf = media(
        'b',
        MediaKind::Document,
        "application/pdf",
        "digest-2569-11.pdf",
    );
    for m in [&photo, &pdf] {
        store.put_media(m).await.unwrap();
    }
    let a = store
        .submit_announcement(
            &NewAnnouncement {
                department: "admin".into(),
                channels: vec!["website".into()],
                title: "รายงานผลการประชาสัมพันธ์ประจำเดือน พฤศจิกายน ๒๕๖๙".into(),
                body: "ไฟล์แนบ".into(),
                link: None,
                tags: vec![],
                media: vec![photo.clone(), pdf.clone()],
                source: "daemon".into(),
                publish_at: chrono::Utc::now(),
            },
            None,
            &actor,
        )
        .await
        .unwrap();
    let back = store.announcement(a.id).await.unwrap();
    // The store keeps each file's path under the media directory; the rest comes back as put.
    let seen = |m: &[prakat_adapters::MediaRef]| {
        m.iter()
            .map(|m| {
                (
                    m.sha256.clone(),
                    m.mime.clone(),
                    m.kind,
                    m.size,
                    m.original_name.clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(seen(&back.media), seen(&[photo.clone(), pdf.clone()]));
    assert_eq!(back.media[1].kind, MediaKind::Document);

    // The rebuild once more, on a database with files attached, foreign keys on: it commits,
    // and every attachment still has its file.
    let mut conn = sqlx::sqlite::SqliteConnection::connect_with(
        &url.parse::<sqlx::sqlite::SqliteConnectOptions>()
            .unwrap()
            .foreign_keys(true),
    )
    .await
    .unwrap();
    let mut tx = conn.begin().await.unwrap();
    sqlx::raw_sql(include_str!("../migrations/sqlite/0015_documents.sql"))
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let broken: Vec<(String,)> = sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
        .fetch_all(&mut conn)
        .await
        .unwrap();
    assert!(broken.is_empty(), "{broken:?}");
    let attached: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM announcement_media WHERE announcement_id = ?")
            .bind(a.id)
            .fetch_one(&mut conn)
            .await
            .unwrap();
    assert_eq!(attached, 2);
    // A kind that is none of the three is still refused.
    let refused = sqlx::query(
        "INSERT INTO media (sha256, mime, kind, size, path, original_name, created_at) \
         VALUES ('c', 'text/html', 'page', 1, '/x', 'x.html', 0)",
    )
    .execute(&mut conn)
    .await;
    assert!(refused.is_err());
    // Without its file, an attachment is refused: the keys are still enforced.
    let dangling = sqlx::query(
        "INSERT INTO announcement_media (announcement_id, position, sha256) VALUES (?, 9, 'none')",
    )
    .bind(a.id)
    .execute(&mut conn)
    .await;
    assert!(dangling.is_err());
    drop(conn);
    let again = store.announcement(a.id).await.unwrap();
    assert_eq!(seen(&again.media), seen(&[photo, pdf]));
}
