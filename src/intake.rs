//! Submissions by chat, whatever the chat. A person sends a text, photos (an album), a video or
//! a document, in one message or several; each is kept as a piece the moment it arrives (once,
//! however often the chat service hands it over), and the pieces are gathered into one
//! submission to the [`Newsroom`] when the person is quiet for a moment, or says `/send`.
//!
//! Nothing here knows Telegram: the Telegram bot is the first front end, a LINE group bot can be
//! the next. A front end turns what arrived into [`NewChatPiece`]s and shows the [`Gathered`]
//! answer in the person's words.

use std::path::PathBuf;

use chrono::{DateTime, Utc};

use crate::app::App;
use crate::i18n::Msg;
use crate::newsroom::{Draft, Newsroom, NewsroomError, Person, Preview, Submitted, When};
use crate::store::{ChatPiece, NewChatPiece, Origin, PersonRecord, Store};

/// What came of gathering a person's pieces.
#[derive(Debug)]
pub enum Gathered {
    /// Nothing was waiting.
    Nothing,
    /// Files arrived without a word about them: they wait for a text.
    NeedsText { chat: String, first_piece: i64 },
    /// Filed: pending approval (or queued, from a PR officer).
    Submitted {
        chat: String,
        submitted: Box<Submitted>,
        preview: Preview,
    },
    /// The newsroom said no; the pieces are let go and the person is told why.
    Refused { chat: String, error: NewsroomError },
}

/// The intake over an opened [`App`].
pub struct Intake<'a> {
    app: &'a App,
}

impl<'a> Intake<'a> {
    pub fn new(app: &'a App) -> Self {
        Intake { app }
    }

    /// Keep a piece: `false` when it was kept already (the chat service sent it again).
    pub async fn receive(&self, piece: &NewChatPiece) -> Result<bool, NewsroomError> {
        Ok(self.app.store.add_chat_piece(piece).await?)
    }

    /// The people who have been quiet since `quiet_since` with pieces waiting.
    pub async fn quiet(&self, quiet_since: DateTime<Utc>) -> Result<Vec<i64>, NewsroomError> {
        Ok(self.app.store.quiet_chat_senders(quiet_since).await?)
    }

    /// Let go of what a person sent and has not been gathered yet; how many pieces.
    pub async fn discard(&self, person_id: i64) -> Result<u64, NewsroomError> {
        let pieces = self.app.store.open_chat_pieces(person_id).await?;
        let Some(last) = pieces.last() else {
            return Ok(0);
        };
        let closed = self
            .app
            .store
            .close_chat_pieces(person_id, last.id, None)
            .await?;
        remove_files(&pieces);
        Ok(closed)
    }

    /// Gather what `who` (the person `record`) sent into one submission. A store failure leaves
    /// the pieces waiting, to be gathered again.
    pub async fn gather(
        &self,
        record: &PersonRecord,
        who: &Person,
        now: DateTime<Utc>,
    ) -> Result<Gathered, NewsroomError> {
        let pieces = self.app.store.open_chat_pieces(record.id).await?;
        let (Some(first), Some(last)) = (pieces.first(), pieces.last()) else {
            return Ok(Gathered::Nothing);
        };
        let chat = last.chat.clone();
        let text = pieces
            .iter()
            .filter_map(|p| p.body.as_deref())
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join("\n\n");
        if text.is_empty() {
            return Ok(Gathered::NeedsText {
                chat,
                first_piece: first.id,
            });
        }
        let Some(department) = record.department.clone() else {
            self.app
                .store
                .close_chat_pieces(record.id, last.id, None)
                .await?;
            remove_files(&pieces);
            return Ok(Gathered::Refused {
                chat,
                error: NewsroomError::Refused(Msg::new("intake-no-department")),
            });
        };
        let draft = Draft {
            department,
            title: None,
            text,
            link: None,
            tags: vec![],
            media: pieces
                .iter()
                .filter_map(|p| p.file_path.as_deref().map(PathBuf::from))
                .collect(),
            channels: vec![],
            when: When::Now,
        };
        let room = Newsroom::new(self.app);
        let preview = match room.preview(who, &draft, now).await {
            Ok(p) => p,
            Err(e) => return self.refuse(record.id, &pieces, chat, e).await,
        };
        let origin = Origin {
            key: format!("chat-piece:{}", first.id),
            chat_pieces: Some((record.id, last.id)),
        };
        match room.submit_once(who, draft, Some(&origin), now).await {
            Ok(submitted) => {
                // The pieces were closed in the change that made the submission.
                remove_files(&pieces);
                Ok(Gathered::Submitted {
                    chat,
                    submitted: Box::new(submitted),
                    preview,
                })
            }
            Err(e) => self.refuse(record.id, &pieces, chat, e).await,
        }
    }

    async fn refuse(
        &self,
        person_id: i64,
        pieces: &[ChatPiece],
        chat: String,
        error: NewsroomError,
    ) -> Result<Gathered, NewsroomError> {
        if let NewsroomError::Store(_) = error {
            // The database, not the submission: try again later with the same pieces.
            return Err(error);
        }
        let last = pieces.last().map_or(0, |p| p.id);
        self.app
            .store
            .close_chat_pieces(person_id, last, None)
            .await?;
        remove_files(pieces);
        Ok(Gathered::Refused { chat, error })
    }
}

/// Downloaded files are copies: once in the media store (or let go), they go.
fn remove_files(pieces: &[ChatPiece]) {
    for p in pieces {
        if let Some(path) = &p.file_path
            && let Err(e) = std::fs::remove_file(path)
            && e.kind() != std::io::ErrorKind::NotFound
        {
            tracing::warn!(path = %path, error = %e, "cannot remove a downloaded file");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::channels::Purpose;
    use crate::newsroom::Role;

    async fn app() -> (tempfile::TempDir, App) {
        let dir = tempfile::tempdir().unwrap();
        let mut settings = crate::settings::Settings::default();
        settings.storage.data_dir = dir.path().join("data");
        (
            dir,
            App::open_for(settings, Purpose::Compose).await.unwrap(),
        )
    }

    fn piece(origin: &str, person_id: i64, body: Option<&str>, at: DateTime<Utc>) -> NewChatPiece {
        NewChatPiece {
            origin: origin.into(),
            person_id,
            chat: "telegram:42".into(),
            body: body.map(str::to_owned),
            kind: None,
            file_path: None,
            file_ref: None,
            received_at: at,
        }
    }

    async fn member(app: &App) -> (PersonRecord, Person) {
        let room = Newsroom::new(app);
        let officer = Person {
            name: "pr".into(),
            role: Role::PrOfficer,
            department: None,
            source: "cli",
        };
        let inv = room
            .invite(
                &officer,
                Role::DepartmentStaff,
                Some("traffic"),
                chrono::Duration::days(1),
                Utc::now(),
            )
            .await
            .unwrap();
        let record = room
            .join(&inv.code, "สมชาย", Some(42), Utc::now())
            .await
            .unwrap();
        let who = crate::newsroom::people::person(&record, "telegram").unwrap();
        (record, who)
    }

    #[tokio::test]
    async fn pieces_are_kept_once_and_gathered_into_one_submission() {
        let (_dir, app) = app().await;
        let (record, who) = member(&app).await;
        let intake = Intake::new(&app);
        let t = Utc::now();
        assert!(
            intake
                .receive(&piece("telegram:42:1", record.id, Some("หัวข้อ"), t))
                .await
                .unwrap()
        );
        assert!(
            !intake
                .receive(&piece("telegram:42:1", record.id, Some("หัวข้อ"), t))
                .await
                .unwrap(),
            "sent again: kept once"
        );
        assert!(
            intake
                .receive(&piece("telegram:42:2", record.id, Some("รายละเอียด"), t))
                .await
                .unwrap()
        );
        // Not quiet yet.
        assert!(
            intake
                .quiet(t - chrono::Duration::seconds(1))
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(intake.quiet(t).await.unwrap(), [record.id]);
        let Gathered::Submitted { submitted, .. } = intake.gather(&record, &who, t).await.unwrap()
        else {
            panic!("submitted")
        };
        let Submitted::Pending { announcement, .. } = *submitted else {
            panic!("pending")
        };
        assert_eq!(announcement.title, "หัวข้อ");
        assert_eq!(announcement.body, "หัวข้อ\n\nรายละเอียด");
        assert!(matches!(
            intake.gather(&record, &who, t).await.unwrap(),
            Gathered::Nothing
        ));
        assert_eq!(
            app.store
                .chat_of_announcement(announcement.id)
                .await
                .unwrap(),
            Some((record.id, "telegram:42".into()))
        );
    }

    /// A crash after the submission was made but before its pieces were closed: gathering again
    /// finds the submission the first try made.
    #[tokio::test]
    async fn gathering_again_after_a_crash_makes_no_second_submission() {
        let (_dir, app) = app().await;
        let (record, who) = member(&app).await;
        let intake = Intake::new(&app);
        let t = Utc::now();
        intake
            .receive(&piece("telegram:42:7", record.id, Some("ตั้งจุดตรวจ"), t))
            .await
            .unwrap();
        let first = app.store.open_chat_pieces(record.id).await.unwrap()[0].id;
        // The first try got as far as the newsroom, then the process died.
        let draft = Draft {
            department: "traffic".into(),
            title: None,
            text: "ตั้งจุดตรวจ".into(),
            link: None,
            tags: vec![],
            media: vec![],
            channels: vec![],
            when: When::Now,
        };
        let made = Newsroom::new(&app)
            .submit_once(
                &who,
                draft,
                Some(&Origin {
                    key: format!("chat-piece:{first}"),
                    chat_pieces: None,
                }),
                t,
            )
            .await
            .unwrap();
        let Submitted::Pending {
            announcement: made, ..
        } = made
        else {
            panic!()
        };
        let Gathered::Submitted { submitted, .. } = intake.gather(&record, &who, t).await.unwrap()
        else {
            panic!("submitted")
        };
        let Submitted::Pending { announcement, .. } = *submitted else {
            panic!("pending")
        };
        assert_eq!(announcement.id, made.id, "the same submission");
        assert_eq!(
            app.store
                .announcements_in_state("pending_approval", 10)
                .await
                .unwrap()
                .len(),
            1
        );
        assert!(
            app.store
                .open_chat_pieces(record.id)
                .await
                .unwrap()
                .is_empty()
        );
    }

    #[tokio::test]
    async fn files_without_a_word_wait_for_a_text_and_a_person_without_a_department_is_told() {
        let (_dir, app) = app().await;
        let (record, who) = member(&app).await;
        let intake = Intake::new(&app);
        let t = Utc::now();
        let mut photo = piece("telegram:42:9", record.id, None, t);
        photo.kind = Some("photo".into());
        intake.receive(&photo).await.unwrap();
        assert!(matches!(
            intake.gather(&record, &who, t).await.unwrap(),
            Gathered::NeedsText { .. }
        ));
        assert_eq!(
            app.store.open_chat_pieces(record.id).await.unwrap().len(),
            1,
            "kept, waiting"
        );

        let mut officer = record.clone();
        officer.department = None;
        officer.role = "pr_officer".into();
        let boss = crate::newsroom::people::person(&officer, "telegram").unwrap();
        intake
            .receive(&piece("telegram:42:10", record.id, Some("ข้อความ"), t))
            .await
            .unwrap();
        let Gathered::Refused { error, .. } = intake.gather(&officer, &boss, t).await.unwrap()
        else {
            panic!("refused")
        };
        assert!(
            error.message(crate::i18n::Lang::Th).contains("สายงาน"),
            "{error}"
        );
        assert!(
            app.store
                .open_chat_pieces(record.id)
                .await
                .unwrap()
                .is_empty(),
            "let go"
        );
    }
}
