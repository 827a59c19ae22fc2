# What the commands print on stdout: tables, success lines, progress.

## queue list
queue-col-id = ID
queue-col-announcement = ANN
queue-col-state = STATE
queue-col-channel = CHANNEL
queue-col-due = DUE (BANGKOK)
queue-col-attempts = TRY
queue-col-department = DEPARTMENT
queue-col-title = TITLE / LAST ERROR

# A delivery's state. In English, the name --state takes.
delivery-state = { $state }

## queue cancel / retry
queue-cancelled = delivery { $id } to { $channel } cancelled
queue-retried = delivery { $id } to { $channel } queued again
queue-retried-many = { $count } deliveries to { $channel } queued again

## queue watch
watch-eta = eta
watch-state = delivery { $id } to { $channel }: { $state }
watch-no-link = (no link from the platform)
watch-published = published: { $link }
watch-waiting = waiting until { $at } (Bangkok)
watch-publishing = publishing to { $channel }

## department, site, channels
department-added = department { $code } added
site-rebuilt = website rebuilt: { $pages } pages, with every index and feed, in { $dir }
channels-ok = ok
channels-fail = FAIL

# post and the decisions on what waits for approval
post-delivery = { $channel } (delivery { $id })
post-queued = announcement { $id } queued for { $deliveries } at { $at }
post-pending = announcement { $id } waits for approval
post-rule-created = recurring rule { $id } created: { $cron } — first at { $at }
post-skipped = {"  "}{ $channel }: not sent — { $reason }
pending-col-sent = SENT (BANGKOK)
pending-col-from = FROM
pending-col-title = TITLE
approve-done = announcement { $id } approved: { $deliveries } at { $at }
reject-done = announcement { $id } not approved: { $reason }
withdraw-done = announcement { $id } withdrawn
people-invited = invite code { $code } ({ $role }, department { $department }), valid once until { $until }. The person sends /start { $code } to the station's bot
people-bad-role = unknown role { $role }: department_staff, pr_officer or admin
people-invite-link = or open { $link } on the phone with Telegram

## reach
reach-progress = { $channel } (delivery { $id })
reach-collected = reach: { $stored } sample(s) stored, { $failed } failed (tried again later), { $waiting } waiting for the platform
reach-failed-line = {"  "}{ $channel } (delivery { $id }, { $slot }): { $error }
reach-show-title = announcement { $id }: { $title }
reach-show-none = no reach samples yet
reach-show-waiting = {"  "}{ $channel } { $slot }: failed { $attempts } time(s); next try at { $at } (Bangkok): { $error }
reach-col-slot = SLOT
reach-col-taken = TAKEN (BANGKOK)
reach-col-views = VIEWS
reach-col-reach = REACH
reach-col-reactions = REACTIONS
reach-col-comments = COMMENTS
reach-col-shares = SHARES
reach-col-clicks = CLICKS
reach-col-video = VIDEO

## rule
rule-next = next times:
rule-none = no recurring rules (make one with: prakat post --recur "0 0 9 * * Mon" …)
rule-col-state = STATE
rule-col-schedule = SCHEDULE
rule-col-next = NEXT (BANGKOK)
rule-state = { $state ->
        [active] active
        [failing] paused (failing)
       *[paused] paused
    }
rule-show = rule { $id }: { $state }, schedule { $cron } (Bangkok time)
    department: { $department }; channels: { $channels }; by { $author }
    link: { $link }
    title: { $title }
rule-trail = history:
rule-paused = rule { $id } paused: it posts nothing until `prakat rule resume { $id }`
rule-resumed = rule { $id } resumed
rule-deleted = rule { $id } ({ $title }) deleted: it never posts again
rule-edited = rule { $id } changed; schedule { $cron }

## queue, more
queue-more = … { $more ->
        [one] one older delivery
       *[other] { $more } older deliveries
    } not shown: see more with --limit { $next }, or every one with --all
queue-cancel-left = delivery { $id } to { $channel } is { $state }: not cancelled
queue-cancelled-announcement = announcement { $id }: { $count } deliveries cancelled
queue-show-head = delivery { $id } to { $channel }: { $state }
    announcement { $announcement } ({ $department }): { $title }
queue-show-times = due { $due }; next attempt { $next }; attempts { $attempts }
queue-show-published = published { $at }: { $link }
queue-show-error = last error: { $error }
queue-show-text = text:
queue-show-link = link: { $link }
queue-show-media = media: { $name } ({ $kind }, { $size })
queue-show-trail = history of the delivery:
queue-show-announcement-trail = history of the announcement:

## prakat announcement
announcement-edited = announcement { $id } corrected (revision { $revision }):
announcement-retracted = announcement { $id } retracted:
announcement-in-place = { $channel }: not out yet, changed before it goes out
announcement-follow = the daemon carries the corrections out; follow them with: prakat announcement show { $id } --wait
announcement-show-head = announcement { $id } "{ $title }": { $state ->
        [approved] approved
        [retracted] retracted
        [pending_approval] waiting for approval
        [rejected] not approved
        [withdrawn] withdrawn
       *[other] { $state }
    }, revision { $revision }
announcement-show-edited = edited { $at }
announcement-show-retracted = retracted { $at }: { $reason }
## digest
digest-step = { $step ->
    [gather] reading the month
    [html] HTML
    [csv] CSV
    [xlsx] XLSX
    [pdf] PDF
   *[json] JSON
}
digest-built = digest of { $month }: { $announcements } announcement(s); files written to { $dir }:
