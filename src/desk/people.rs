//! The admin's page: who may sign in to the desk, and the JSON API's tokens. An admin adds a
//! person with a first password (as `prakat people add` does), makes a token (shown once; only
//! its SHA-256 is kept) and revokes one.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use minijinja::context;

use super::auth::{AdminOnly, Signed, SignedForm};
use super::inbox::see_other;
use super::pages::{Page, store_failure, when};
use super::{Desk, password};
use crate::i18n::{Lang, Msg};
use crate::newsroom::Role;
use crate::store::{NewDeskPerson, Store, StoreError};

async fn page<N>(
    desk: &Desk,
    who: &Signed<N>,
    error: Option<String>,
    token: Option<(String, String)>,
    status: StatusCode,
) -> Response {
    let lang = who.lang;
    let store = &desk.app.store;
    let (people, tokens) = match tokio::try_join!(store.desk_logins(), store.api_tokens()) {
        Ok(all) => all,
        Err(e) => return store_failure(desk, lang, &e),
    };
    // The departments a person may belong to: the newsroom's, never the digest's own.
    let departments = match crate::newsroom::Newsroom::new(&desk.app)
        .departments()
        .await
    {
        Ok(d) => d,
        Err(e) => return super::pages::newsroom_failure(desk, lang, &e),
    };
    let people: Vec<_> = people
        .iter()
        .map(|p| {
            context! {
                id => p.person.id,
                login => &p.login,
                name => &p.person.name,
                role => &p.person.role,
                department => &p.person.department,
            }
        })
        .collect();
    let tokens: Vec<_> = tokens
        .iter()
        .map(|t| {
            context! {
                id => t.id,
                label => &t.label,
                login => &t.login,
                created => when(lang, t.created_at),
                revoked => t.revoked_at.map(|r| when(lang, r)),
            }
        })
        .collect();
    let departments: Vec<_> = departments
        .iter()
        .map(|d| {
            context! {
                code => &d.code,
                name => match lang { Lang::Th => &d.name_th, Lang::En => &d.name_en },
            }
        })
        .collect();
    Page::render(
        desk,
        lang,
        "people.html",
        context! {
            people => people,
            tokens => tokens,
            departments => departments,
            error => error,
            made => token.map(|(login, token)| context! { login => login, token => token }),
            min_password => password::MIN_LEN,
            me_login => people
                .iter()
                .find(|p| p.get_attr("id").ok().and_then(|v| v.as_i64()) == Some(who.session.person.id))
                .and_then(|p| p.get_attr("login").ok())
                .map(|v| v.to_string()),
            ..who.frame()
        },
    )
    .status(status)
    .into_response()
}

/// `GET /desk/people`.
pub async fn show(State(desk): State<Arc<Desk>>, who: Signed<AdminOnly>) -> Response {
    page(&desk, &who, None, None, StatusCode::OK).await
}

/// `POST /desk/people`: a person with a first password.
pub async fn add(State(desk): State<Arc<Desk>>, form: SignedForm<AdminOnly>) -> Response {
    let (who, f) = (&form.who, &form.fields);
    let lang = who.lang;
    let refuse = async |msg: Msg| {
        page(
            &desk,
            who,
            Some(msg.render(lang)),
            None,
            StatusCode::BAD_REQUEST,
        )
        .await
    };
    let name = crate::text::one_line(f.get("name").unwrap_or(""));
    let login = crate::text::one_line(f.get("login").unwrap_or(&name));
    let Some(role) = f.get("role").and_then(Role::parse) else {
        return refuse(Msg::new("people-bad-role").with("role", f.get("role").unwrap_or("-")))
            .await;
    };
    let department = f
        .get("department")
        .map(str::to_owned)
        .filter(|_| role == Role::DepartmentStaff);
    if role == Role::DepartmentStaff && department.is_none() {
        return refuse(Msg::new("people-department-needed")).await;
    }
    if name.is_empty() || login.is_empty() {
        return refuse(Msg::new("desk-name-needed")).await;
    }
    let given =
        f.0.iter()
            .find(|(k, _)| k == "password")
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
    if given.chars().count() < password::MIN_LEN {
        return refuse(Msg::new("desk-password-short").with("min", password::MIN_LEN)).await;
    }
    let Ok(Ok(hash)) = tokio::task::spawn_blocking(move || password::hash(&given)).await else {
        return refuse(Msg::new("desk-password-unreadable").with("detail", "argon2")).await;
    };
    let new = NewDeskPerson {
        name,
        login,
        role: role.as_str().into(),
        department,
        password_hash: hash,
    };
    match desk
        .app
        .store
        .add_desk_person(&new, &who.person.actor())
        .await
    {
        Ok(_) => see_other("/desk/people"),
        Err(StoreError::Conflict(_)) => {
            refuse(Msg::new("desk-login-taken").with("login", new.login.as_str())).await
        }
        Err(StoreError::NotFound(_)) => {
            refuse(
                Msg::new("desk-unknown-department")
                    .with("department", new.department.as_deref().unwrap_or("-")),
            )
            .await
        }
        Err(e) => store_failure(&desk, lang, &e),
    }
}

/// `POST /desk/tokens`: a JSON API token for a login, shown on the answer once.
pub async fn make_token(State(desk): State<Arc<Desk>>, form: SignedForm<AdminOnly>) -> Response {
    let (who, f) = (&form.who, &form.fields);
    let login = f.get("login").unwrap_or("").to_owned();
    let label = crate::text::one_line(f.get("label").unwrap_or(""));
    if label.is_empty() {
        let msg = Msg::new("desk-token-label-needed").render(who.lang);
        return page(&desk, who, Some(msg), None, StatusCode::BAD_REQUEST).await;
    }
    let token = password::token();
    match desk
        .app
        .store
        .create_api_token(
            &login,
            &password::digest(&token),
            &label,
            desk.clock.now(),
            &who.person.actor(),
        )
        .await
    {
        Ok(_) => page(&desk, who, None, Some((login, token)), StatusCode::OK).await,
        Err(e) => store_failure(&desk, who.lang, &e),
    }
}

/// `POST /desk/tokens/{id}/revoke`.
pub async fn revoke_token(
    State(desk): State<Arc<Desk>>,
    Path(id): Path<i64>,
    form: SignedForm<AdminOnly>,
) -> Response {
    match desk
        .app
        .store
        .revoke_api_token(id, desk.clock.now(), &form.who.person.actor())
        .await
    {
        Ok(_) => see_other("/desk/people"),
        Err(e) => store_failure(&desk, form.who.lang, &e),
    }
}

/// `POST /desk/people/remove`: a person off the desk (not oneself: another admin does that).
pub async fn remove(State(desk): State<Arc<Desk>>, form: SignedForm<AdminOnly>) -> Response {
    let (who, f) = (&form.who, &form.fields);
    let login = f.get("login").unwrap_or("");
    if who.session.person.id
        == match desk.app.store.desk_login(login).await {
            Ok(Some(l)) => l.person.id,
            Ok(None) => -1,
            Err(e) => return store_failure(&desk, who.lang, &e),
        }
    {
        let msg = Msg::new("desk-remove-self").render(who.lang);
        return page(&desk, who, Some(msg), None, StatusCode::BAD_REQUEST).await;
    }
    match desk
        .app
        .store
        .remove_desk_person(login, desk.clock.now(), &who.person.actor())
        .await
    {
        Ok(()) => see_other("/desk/people"),
        Err(e) => store_failure(&desk, who.lang, &e),
    }
}
