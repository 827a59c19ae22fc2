//! Who may use prakat from a chat: the PR officer invites, a person joins with the code.
//! Codes are random, single-use and expire; only their SHA-256 is kept, so a copy of the
//! database does not let anyone join.

use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use sha2::{Digest, Sha256};

use super::{Newsroom, NewsroomError, Person, Result, Role};
use crate::i18n::Msg;
use crate::store::{NewInvite, PersonRecord, Store, StoreError};

/// Letters and digits that cannot be mistaken for one another when read off a screen.
const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
/// 10 characters of 32: 50 bits, far beyond guessing before the code expires.
const CODE_LEN: usize = 10;

/// An invitation as created: the code to hand over (shown once, never stored).
#[derive(Debug)]
pub struct Invitation {
    pub code: String,
    pub role: Role,
    pub department: Option<String>,
    pub expires_at: DateTime<Utc>,
}

fn hash(code: &str) -> String {
    hex::encode(Sha256::digest(code.trim().to_ascii_uppercase().as_bytes()))
}

impl Role {
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "admin" => Some(Role::Admin),
            "pr_officer" => Some(Role::PrOfficer),
            "department_staff" => Some(Role::DepartmentStaff),
            _ => None,
        }
    }
}

/// The person a stored record is, acting through `source`.
pub fn person(record: &PersonRecord, source: &'static str) -> Option<Person> {
    Some(Person {
        name: record.name.clone(),
        role: Role::parse(&record.role)?,
        department: record.department.clone(),
        source,
    })
}

impl Newsroom<'_> {
    /// Invite someone to join as `role` (department staff need their department).
    pub async fn invite(
        &self,
        who: &Person,
        role: Role,
        department: Option<&str>,
        valid_for: Duration,
        now: DateTime<Utc>,
    ) -> Result<Invitation> {
        if !who.role.may_approve() || (role == Role::Admin && who.role != Role::Admin) {
            return Err(NewsroomError::Forbidden(Msg::new(
                "newsroom-only-pr-officer",
            )));
        }
        if role == Role::DepartmentStaff && department.is_none() {
            return Err(NewsroomError::Refused(Msg::new("people-department-needed")));
        }
        if let Some(d) = department
            && super::is_digest(d)
        {
            return Err(NewsroomError::Refused(super::digest_department(
                d,
                self.known_departments().await?,
            )));
        }
        if let Some(d) = department
            && self.app.store.department(d).await?.is_none()
        {
            return Err(NewsroomError::Refused(
                Msg::new("newsroom-unknown-department")
                    .with("department", d)
                    .with("known", self.known_departments().await?),
            ));
        }
        let code: String = {
            let mut rng = rand::rng();
            (0..CODE_LEN)
                .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
                .collect()
        };
        let expires_at = now + valid_for;
        self.app
            .store
            .create_invite(
                &NewInvite {
                    code_sha256: hash(&code),
                    role: role.as_str().into(),
                    department: department.map(str::to_owned),
                    expires_at,
                },
                &who.actor(),
            )
            .await?;
        Ok(Invitation {
            code,
            role,
            department: department.map(str::to_owned),
            expires_at,
        })
    }

    /// Join with an invite code: once per code, before it expires.
    pub async fn join(
        &self,
        code: &str,
        name: &str,
        telegram_user_id: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<PersonRecord> {
        let name = crate::text::one_line(name);
        match self
            .app
            .store
            .redeem_invite(&hash(code), &name, telegram_user_id, now)
            .await
        {
            Err(StoreError::NotFound(_)) => {
                Err(NewsroomError::Refused(Msg::new("people-bad-invite")))
            }
            other => Ok(other?),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::App;
    use crate::channels::Purpose;

    async fn app() -> (tempfile::TempDir, App) {
        let dir = tempfile::tempdir().unwrap();
        let mut settings = crate::settings::Settings::default();
        settings.storage.data_dir = dir.path().join("data");
        (
            dir,
            App::open_for(settings, Purpose::Compose).await.unwrap(),
        )
    }

    fn officer() -> Person {
        Person {
            name: "pr1".into(),
            role: Role::PrOfficer,
            department: None,
            source: "cli",
        }
    }

    #[tokio::test]
    async fn an_invite_is_used_once_before_it_expires() {
        let (_dir, app) = app().await;
        let room = Newsroom::new(&app);
        let now = Utc::now();
        let inv = room
            .invite(
                &officer(),
                Role::DepartmentStaff,
                Some("traffic"),
                Duration::days(2),
                now,
            )
            .await
            .unwrap();
        assert_eq!(inv.code.len(), CODE_LEN);
        // Typed in lower case with spaces around it, as people do.
        let code = format!(" {} ", inv.code.to_lowercase());
        let (a, b) = tokio::join!(
            room.join(&code, "สมชาย", Some(1001), now),
            room.join(&code, "สมหญิง", Some(1002), now)
        );
        assert_eq!(
            usize::from(a.is_ok()) + usize::from(b.is_ok()),
            1,
            "{a:?} {b:?}"
        );
        let joined = a.or(b).unwrap();
        assert_eq!(joined.role, "department_staff");
        assert_eq!(joined.department.as_deref(), Some("traffic"));
        let found = app
            .store
            .person_by_telegram(joined.telegram_user_id.unwrap())
            .await
            .unwrap();
        assert_eq!(found, Some(joined));

        let late = room
            .invite(&officer(), Role::PrOfficer, None, Duration::hours(1), now)
            .await
            .unwrap();
        let e = room
            .join(&late.code, "x", Some(1003), now + Duration::hours(2))
            .await
            .unwrap_err();
        assert!(e.message(crate::i18n::Lang::Th).contains("รหัสเชิญ"), "{e}");
    }

    #[tokio::test]
    async fn only_who_may_approve_invites_and_staff_need_a_department() {
        let (_dir, app) = app().await;
        let room = Newsroom::new(&app);
        let staff = Person {
            name: "s".into(),
            role: Role::DepartmentStaff,
            department: Some("traffic".into()),
            source: "telegram",
        };
        let now = Utc::now();
        let e = room
            .invite(
                &staff,
                Role::DepartmentStaff,
                Some("traffic"),
                Duration::days(1),
                now,
            )
            .await
            .unwrap_err();
        assert!(matches!(e, NewsroomError::Forbidden(_)), "{e:?}");
        let e = room
            .invite(&officer(), Role::Admin, None, Duration::days(1), now)
            .await
            .unwrap_err();
        assert!(matches!(e, NewsroomError::Forbidden(_)), "{e:?}");
        let e = room
            .invite(
                &officer(),
                Role::DepartmentStaff,
                None,
                Duration::days(1),
                now,
            )
            .await
            .unwrap_err();
        assert!(
            e.message(crate::i18n::Lang::En).contains("department"),
            "{e}"
        );
        let e = room
            .invite(
                &officer(),
                Role::DepartmentStaff,
                Some("nosuch"),
                Duration::days(1),
                now,
            )
            .await
            .unwrap_err();
        assert!(
            e.message(crate::i18n::Lang::En)
                .contains("unknown department"),
            "{e}"
        );
    }
}
