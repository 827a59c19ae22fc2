//! What the creator allows, from `creator_info/query` (called before every new post, as
//! TikTok requires): the privacy level to send, the interaction switches, and whether the app
//! is unaudited (TikTok then offers `SELF_ONLY` only).

use super::api::CreatorInfo;
use super::errors::UNAUDITED;
use super::settings::{PrivacyLevel, TiktokSettings};
use crate::PublishError;

/// An unaudited app is offered `SELF_ONLY` and nothing else.
pub fn is_unaudited(offered: &[String]) -> bool {
    !offered.is_empty() && offered.iter().all(|o| o == PrivacyLevel::SelfOnly.as_str())
}

/// The privacy level to send: the configured one if the creator offers it, else (unset) the
/// most public one offered. Anything else is refused before a post is created.
pub fn choose_privacy(
    configured: Option<PrivacyLevel>,
    post_when_unaudited: bool,
    offered: &[String],
) -> Result<PrivacyLevel, PublishError> {
    let offers = |p: PrivacyLevel| offered.iter().any(|o| o == p.as_str());
    let unaudited = is_unaudited(offered);
    let list = offered.join(", ");
    match configured {
        Some(p) if offers(p) => Ok(p),
        Some(p) if unaudited => Err(PublishError::Rejected(format!(
            "tiktok.privacy_level is {} but TikTok offers only SELF_ONLY: {UNAUDITED}; have the \
             app audited by TikTok, or set privacy_level = \"SELF_ONLY\"",
            p.as_str()
        ))),
        Some(p) => Err(PublishError::Rejected(format!(
            "tiktok.privacy_level is {} but this TikTok account offers only [{list}]: change the \
             setting or the account's privacy in the TikTok app",
            p.as_str()
        ))),
        None if unaudited && !post_when_unaudited => Err(PublishError::Rejected(format!(
            "{UNAUDITED} and tiktok.post_when_unaudited is false: nothing was posted; have the \
             app audited by TikTok, or allow private posts"
        ))),
        None => PrivacyLevel::BY_REACH
            .into_iter()
            .find(|p| offers(*p))
            .ok_or_else(|| {
                PublishError::Rejected(format!(
                    "TikTok offers no privacy level this channel knows for the account: [{list}]"
                ))
            }),
    }
}

/// `post_info` switches: off unless the settings allow them and the creator has not turned
/// them off in the app.
pub struct Interactions {
    pub disable_comment: bool,
    pub disable_duet: bool,
    pub disable_stitch: bool,
}

pub fn interactions(s: &TiktokSettings, c: &CreatorInfo) -> Interactions {
    Interactions {
        disable_comment: !s.allow_comment || c.comment_disabled,
        disable_duet: !s.allow_duet || c.duet_disabled,
        disable_stitch: !s.allow_stitch || c.stitch_disabled,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PrivacyLevel::*;

    fn opts(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_most_public_offered_level_is_the_default() {
        let all = opts(&["SELF_ONLY", "MUTUAL_FOLLOW_FRIENDS", "PUBLIC_TO_EVERYONE"]);
        assert_eq!(choose_privacy(None, true, &all).unwrap(), PublicToEveryone);
        let friends = opts(&["SELF_ONLY", "MUTUAL_FOLLOW_FRIENDS", "FOLLOWER_OF_CREATOR"]);
        assert_eq!(
            choose_privacy(None, true, &friends).unwrap(),
            FollowerOfCreator
        );
        assert_eq!(
            choose_privacy(Some(SelfOnly), true, &all).unwrap(),
            SelfOnly
        );
    }

    #[test]
    fn an_unoffered_level_is_refused_and_unaudited_apps_are_named() {
        let friends = opts(&["SELF_ONLY", "MUTUAL_FOLLOW_FRIENDS"]);
        let e = choose_privacy(Some(PublicToEveryone), true, &friends).unwrap_err();
        assert!(
            matches!(&e, PublishError::Rejected(m) if m.contains("[SELF_ONLY, MUTUAL_FOLLOW_FRIENDS]")),
            "{e}"
        );
        let private = opts(&["SELF_ONLY"]);
        assert!(is_unaudited(&private) && !is_unaudited(&friends) && !is_unaudited(&[]));
        assert_eq!(choose_privacy(None, true, &private).unwrap(), SelfOnly);
        for e in [
            choose_privacy(None, false, &private).unwrap_err(),
            choose_privacy(Some(PublicToEveryone), true, &private).unwrap_err(),
        ] {
            assert!(
                matches!(&e, PublishError::Rejected(m) if m.contains(UNAUDITED)),
                "{e}"
            );
        }
    }
}
