# What the Telegram bot says. Messages are HTML (Telegram's parse mode); every variable that
# holds text a person wrote is escaped before it is put in. The bot speaks Thai to its people;
# these are the same messages in English.

tg-group = Hello. This bot takes submissions in private chats only, so it leaves this group. Each member registers with the bot in a private chat with an invite code from the PR officer.
tg-stranger = Hello. You are not registered with the station's announcement system, so your messages cannot be taken. If you are station staff, ask the PR officer for an invite code and send /start followed by the code, e.g. <code>/start ABCD234567</code>
tg-role = { $role ->
    [admin] administrator
    [pr_officer] PR officer
   *[other] department staff
}
tg-joined = Registered. Welcome, { $name } ({ $role }, department { $department }).
    Send your results: text, photos (several at once), a video or a document. They are gathered into one submission for the PR officer to approve.
    Send /help for the commands.
tg-help-staff = Hello { $name } (department { $department })
    • Send text, photos, a video or a document: they become one submission once you stop for a moment.
    • /send submits what you sent at once
    • /cancel drops what is not yet submitted, or withdraws your latest pending submission (/cancel 12 for number 12)
    • /status shows your submissions
tg-help-officer = Hello { $name } (PR officer)
    • New submissions come with the buttons Approve / Pick a time / Edit / Reject
    • /pending lists everything waiting for approval
    • /retract 12 reason takes back approved announcement 12 (off the website, posts deleted where they can be)
    • /cancel drops the question the bot is waiting on
    • You are told when announcements are published, with the links, and when a channel needs you
tg-unknown-command = Unknown command. Send /help for the commands.
tg-unsupported = Sorry, only text, photos, videos and documents can be announced (not stickers, voice notes, locations and the like).
tg-file-too-big = This file is { $size }, more than a bot may download ({ $limit }). Send a smaller file (a compressed video, say), or hand it to the PR officer another way to upload with prakat post.
tg-file-failed = The file could not be downloaded from Telegram. Please send it again.
tg-gathering = Received. Send more (photos, text) if you like: it becomes one submission once you stop for { $seconds } seconds, or send /send now.
tg-nothing-to-send = Nothing to submit yet: send text or photos first, then /send.
tg-needs-text = Files received, but no text about them yet. Please type the text of the announcement (its first line is the title).
tg-refused = This cannot be submitted: { $reason }
    What you sent was dropped; please fix it and send again.
tg-submitted = Submission { $id } received: <b>{ $title }</b>
    Waiting for the PR officer's approval (/cancel withdraws it).
tg-queued = Announcement { $id } queued: <b>{ $title }</b>, publishing { $at }
tg-preview-channels = Will be published on: { $channels }
tg-preview-note = • { $channel }: { $note }
tg-preview-skipped = • { $channel }: not published ({ $reason })
tg-question-dropped = The question waiting for your answer is dropped.
tg-discarded = Dropped { $count } pieces not yet submitted.
tg-nothing-to-cancel = Nothing pending to withdraw.
tg-withdrawn = Submission { $id } withdrawn: { $title }
tg-status-none = You have not submitted anything by chat yet.
tg-status-head = Your latest submissions:
tg-status-line = #{ $id } { $title } — { $state }
tg-state = { $state ->
    [pending_approval] waiting for approval
    [approved] approved
    [rejected] rejected
    [withdrawn] withdrawn
    [retracted] retracted
   *[other] { $state }
}
tg-pending-none = Nothing is waiting for approval.
tg-summary = Daily summary: { $count } submissions wait for approval (/pending shows them with buttons)
tg-summary-line = • #{ $id } [{ $department }] { $title } (sent { $since })
tg-card = 📝 Submission { $id } waits for approval — { $department }
    Sent by { $by }
    <b>{ $title }</b>
    { $body }
    Channels: { $channels } · { $media } attachments
tg-btn-approve = ✅ Approve
tg-btn-time = 🕘 Pick a time
tg-btn-edit = ✏️ Edit
tg-btn-reject = ❌ Reject
tg-button-unknown = This item is not found (an old or deleted message).
tg-not-allowed = You may not approve.
tg-approved-done = Submission { $id } approved, publishing { $at }
tg-rejected-done = Submission { $id } rejected; the sender gets the reason.
tg-edited-done = Submission { $id } edited: { $title }
tg-ask-time = Submission { $id }: when should it be published? Type a date and time, e.g. <code>1/12/2569 09.00</code> (Bangkok), or /cancel
tg-ask-edit = Submission { $id }: type the whole new text (its first line is the title), or /cancel
tg-ask-reason = Submission { $id }: type the reason for rejecting it (the sender gets it), or /cancel
tg-decided-approved = ✅ Approved by { $by }, publishing { $at }
tg-decided-rejected = ❌ Rejected by { $by }: { $reason }
tg-decided-withdrawn = ↩️ Withdrawn by { $by }
tg-you-approved = ✅ Submission { $id } ({ $title }) is approved and will be published { $at }
tg-you-rejected = ❌ Submission { $id } ({ $title }) was not approved.
    Reason: { $reason }
tg-you-withdrawn = ↩️ Submission { $id } ({ $title }) was withdrawn by { $by }
tg-parked = ⚠️ Announcement { $id } ({ $title }) is not yet published on { $channel }
    Why: { $error }
    { $todo }
tg-todo-auth = To do: renew or fix the { $channel } channel's token in the settings, restart prakat, then run <code>prakat queue retry { $id }</code>
tg-todo-retry = To do: check the cause, then run <code>prakat queue retry { $id }</code>, or cancel with <code>prakat queue cancel { $id }</code>
tg-published = 📣 Announcement { $id } published: <b>{ $title }</b>
tg-published-link = • { $channel }: { $url }
tg-published-nolink = • { $channel }: published
tg-published-not = • { $channel }: { $state }
tg-delivery-state = { $state ->
    [needs_attention] needs a person
    [failed] failed
    [cancelled] cancelled
   *[other] { $state }
}
intake-no-department = You belong to no department, so you cannot submit by chat (the PR officer posts with prakat post).
tg-token-expiring = ⏳ The { $channel } channel's token expires { $at }. Renew it before then (see the README, Platform channels), or publishing on this channel stops.
tg-token-expired = ⛔ The { $channel } channel's token expired { $at }; publishing on this channel has stopped. Issue a new token, put it in the settings and restart prakat.
tg-missing-permissions = ⚠️ The { $channel } channel lacks permissions: { $permissions }. Grant them to the app in the platform's settings.
tg-channel-unhealthy = ⚠️ The { $channel } channel's check failed: { $error }. Check its token and settings, then run prakat channels check.
tg-rule-paused = ⏸️ Recurring rule { $id } ({ $title }) is paused: publishing on { $channel } failed { $failures } times in a row. Fix the cause, then run <code>prakat rule resume { $id }</code>
tg-correction-left = ✏️ Announcement { $id } ({ $title }): { $what }
tg-retract-usage = To take an announcement back: /retract NUMBER REASON, e.g. <code>/retract 12 wrong name of the suspect</code>
tg-retracted = ↩️ Announcement { $id } ({ $title }) is retracted:
tg-retract-not-out = { $channel }: not out yet, cancelled
tg-digest-ready = 📊 The digest of { $month } is ready: { $announcements } announcement(s). The PDF is attached, for printing and signing.{ $url ->
    [none] {""}
   *[other] {" "}On the website: { $url }
}
