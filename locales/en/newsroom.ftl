# The newsroom's answers: what a person sent breaks a rule, or may not be done by them.
newsroom-text-empty = the text is empty
newsroom-bad-link = the link { $link } is not a web address: give an http:// or https:// link
newsroom-unknown-department = unknown department { $department }; known: { $known }
newsroom-digest-department = the department { $department } is the monthly digest's own, which prakat builds and publishes itself: nobody submits, previews, makes a recurring rule or invites for it (departments to use: { $known })
newsroom-department-reserved = the code { $department } belongs to the monthly digest's own department, under which only prakat publishes: choose another code
newsroom-department-exists = a department with the code { $department } exists already: choose another code
newsroom-other-department = you send for the department { $own }, not { $department }
newsroom-channel-off = channel { $channel } is not enabled; enabled: { $enabled }
newsroom-bad-cron = cron expression { $expr } does not parse: { $why }. Use six fields, seconds first, in Bangkok time: "0 0 9 * * Mon" is every Monday at 09:00
newsroom-time-past = { $at } is in the past (Bangkok time now: { $now }); publish now instead
newsroom-only-pr-officer = only the PR officer (or an admin) may do this
newsroom-not-yours = only its sender or the PR officer may change or withdraw this announcement
newsroom-reason-needed = say why it is not approved: the sender is told
newsroom-already-decided = announcement { $id } is already { $state ->
        [approved] approved
        [rejected] rejected
        [withdrawn] withdrawn
       *[other] { $state }
    } (by { $by } at { $at }, Bangkok time)
newsroom-bad-time = { $input } is not a date and time: write "YYYY-MM-DD HH:MM" in Bangkok time, in the Buddhist or the common era, e.g. "2569-12-01 09:00" or "01/12/2569 09.00"
people-department-needed = department staff are invited for a department: give --department
people-bad-invite = this invite code is unknown, already used or expired: ask the PR officer for a new one
newsroom-rule-too-frequent = the schedule "{ $expr }" posts { $count } times in the 24 hours from { $at } (Bangkok time), { $gap } apart: more often than once every { $min } (the setting rules.min_interval). To post this often anyway, add --allow-frequent
newsroom-rule-too-frequent-suggest = the schedule "{ $expr }" posts { $count } times in the 24 hours from { $at } (Bangkok time), { $gap } apart: more often than once every { $min } (the setting rules.min_interval). To post once at that time, write "{ $suggestion }"; to post this often anyway, add --allow-frequent
newsroom-rule-already-paused = rule { $id } is already paused (prakat rule resume { $id } lets it post again)
newsroom-rule-not-paused = rule { $id } is not paused

## Corrections of published announcements, per channel
correction-edited = { $channel }: changed to the new text
correction-retracted = { $channel }: taken down
correction-not-out = { $channel }: was not out yet; it will go out with the new text, or not at all
correction-superseded = { $channel }: replaced by a later correction
correction-no-edit = { $channel }: cannot be changed once sent (the platform has no way to edit it). To do by hand: if it matters, send a correcting message, or delete the post and publish again: { $url }
correction-no-retract = { $channel }: cannot be taken back by prakat (the platform has no way to delete it). To do by hand: delete it in the platform's own app, or send a message saying it is withdrawn: { $url }
correction-maybe-out = { $channel }: an attempt to publish was cut off and may have reached the platform, which prakat cannot check. To do by hand: look for the post and delete it.
correction-channel-gone = { $channel }: this channel is no longer in the settings. To do by hand: correct or delete the post on the platform.
correction-failed = { $channel }: the platform refused the correction: { $error }. To do: fix the cause, then correct the post by hand or edit again.
correction-edit-waiting = { $channel }: the new text will be sent shortly
correction-retract-waiting = { $channel }: will be taken down shortly
newsroom-correction-same = the new title and text are the same as the announcement's: nothing to correct
newsroom-correction-pending = announcement { $id } still waits for approval: change it with the approval's edit instead
newsroom-correction-retracted = announcement { $id } is retracted: it cannot be corrected
newsroom-correction-state = announcement { $id } is { $state }: only an approved announcement can be corrected or retracted
newsroom-retract-reason-needed = say why it is retracted (--reason): the website's notice shows it and the audit trail keeps it
newsroom-no-slots = No posting times are set (post.slots in the settings file), so there is no next free slot: choose a date and time.
newsroom-slots-full = Every posting time in the next { $days } days is taken: choose a date and time.
newsroom-repeat-no-day = A weekly repeat needs at least one day.
newsroom-repeat-bad-day = Day { $day } cannot be used: a monthly repeat takes days 1 to 28, so that every month has it.
newsroom-bad-time-of-day = { $input } is not a time of day: write HH:MM, e.g. 09:00 or 18.30.
