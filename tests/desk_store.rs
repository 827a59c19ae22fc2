//! The web desk's store contracts with two handles on one database file, as two daemons would
//! have: the sign-in limit holds for attempts made at once through both, one first admin is
//! made however many start at once, and a session is found only by its id's hash until it ends.

use std::sync::Arc;

use chrono::{Duration, Utc};
use prakat::store::{Actor, LoginLimit, NewDeskPerson, NewDeskSession, SqliteStore, Store};

async fn two_handles() -> (tempfile::TempDir, Arc<SqliteStore>, Arc<SqliteStore>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("prakat.db");
    let a = SqliteStore::open(&path).await.unwrap();
    let b = SqliteStore::open(&path).await.unwrap();
    (dir, Arc::new(a), Arc::new(b))
}

fn admin(login: &str) -> NewDeskPerson {
    NewDeskPerson {
        name: login.into(),
        login: login.into(),
        role: "admin".into(),
        department: None,
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA".into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn attempts_at_once_through_two_handles_never_pass_the_limit() {
    let (_dir, a, b) = two_handles().await;
    let now = Utc::now();
    let limit = LoginLimit {
        since: now - Duration::minutes(15),
        max_failures: 5,
    };
    let mut tasks = Vec::new();
    for i in 0..24 {
        let store = if i % 2 == 0 { a.clone() } else { b.clone() };
        let ip = format!("198.51.100.{i}");
        tasks.push(tokio::spawn(async move {
            store
                .start_login_attempt("somchai", &ip, now, limit)
                .await
                .unwrap()
        }));
    }
    let mut admitted = 0;
    for t in tasks {
        admitted += usize::from(t.await.unwrap().is_some());
    }
    assert_eq!(
        admitted, 5,
        "exactly the limit is let through, the rest refused"
    );
    // Another name is not held by these; a success frees its place.
    let other = a
        .start_login_attempt("somying", "198.51.100.200", now, limit)
        .await
        .unwrap()
        .expect("another name");
    a.login_succeeded(other).await.unwrap();
    // Once the window has passed, the name may try again.
    let later = now + Duration::minutes(16);
    let limit = LoginLimit {
        since: later - Duration::minutes(15),
        max_failures: 5,
    };
    assert!(
        b.start_login_attempt("SOMCHAI", "198.51.100.1", later, limit)
            .await
            .unwrap()
            .is_some(),
        "a name is counted whatever its case, and the old attempts no longer count"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_first_admin_however_many_daemons_start_at_once() {
    let (_dir, a, b) = two_handles().await;
    let mut tasks = Vec::new();
    for i in 0..8 {
        let store = if i % 2 == 0 { a.clone() } else { b.clone() };
        tasks.push(tokio::spawn(async move {
            store
                .add_first_desk_admin(&admin("admin"), &Actor::daemon("system:desk"))
                .await
                .unwrap()
        }));
    }
    let mut made = 0;
    for t in tasks {
        made += usize::from(t.await.unwrap().is_some());
    }
    assert_eq!(made, 1);
    let err = a
        .add_desk_person(&admin("Admin"), &Actor::daemon("test"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, prakat::store::StoreError::Conflict(_)),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_session_is_found_by_its_hash_until_it_ends_expires_or_idles() {
    let (_dir, a, b) = two_handles().await;
    let person = a
        .add_desk_person(&admin("boss"), &Actor::daemon("test"))
        .await
        .unwrap();
    let now = Utc::now();
    let idle = std::time::Duration::from_secs(2 * 3600);
    let session = NewDeskSession {
        id_sha256: "ab".repeat(32),
        person_id: person.id,
        csrf_token: "cd".repeat(32),
        created_at: now,
        expires_at: now + Duration::hours(12),
    };
    a.create_desk_session(&session, &Actor::daemon("test"))
        .await
        .unwrap();
    let found = b
        .desk_session(&session.id_sha256, now, idle)
        .await
        .unwrap()
        .expect("seen from the other handle");
    assert_eq!(found.person.id, person.id);
    assert_eq!(found.csrf_token, session.csrf_token);
    // Used within the idle time it goes on; unused for longer it is over.
    let used = now + Duration::minutes(90);
    assert!(
        b.desk_session(&session.id_sha256, used, idle)
            .await
            .unwrap()
            .is_some()
    );
    let later = used + Duration::minutes(100);
    assert!(
        b.desk_session(&session.id_sha256, later, idle)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        b.desk_session(&session.id_sha256, later + Duration::hours(3), idle)
            .await
            .unwrap()
            .is_none(),
        "idle too long"
    );
    assert!(
        a.desk_session(&session.id_sha256, now + Duration::hours(13), idle)
            .await
            .unwrap()
            .is_none(),
        "past its end"
    );
    assert!(a.end_desk_session(&session.id_sha256, later).await.unwrap());
    assert!(!b.end_desk_session(&session.id_sha256, later).await.unwrap());
    assert!(
        b.desk_session(&session.id_sha256, later, idle)
            .await
            .unwrap()
            .is_none()
    );
    // A new password ends every session of the person.
    let second = NewDeskSession {
        id_sha256: "ef".repeat(32),
        ..session
    };
    a.create_desk_session(&second, &Actor::daemon("test"))
        .await
        .unwrap();
    b.set_desk_password("BOSS", "$argon2id$new", now, &Actor::daemon("test"))
        .await
        .unwrap();
    assert!(
        a.desk_session(&second.id_sha256, now, idle)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        a.desk_login("boss").await.unwrap().unwrap().password_hash,
        "$argon2id$new"
    );
}
