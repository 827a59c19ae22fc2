# The command line's help (--help) and its complaints about a mistyped command.
# help-<subcommand path> for a command, help-<path>-<argument> for an argument,
# help-global-<argument> for the options every command takes.

## clap's own words
help-heading-usage = Usage:
help-heading-commands = Commands
help-heading-options = Options
help-heading-arguments = Arguments
help-flag-help = Print help
help-flag-version = Print version
help-help = Print this message or the help of the given subcommand(s)
help-help-subcommand = Print help for the subcommand(s)
help-default = {"["}default: { $value }]
help-possible = {"["}possible values: { $values }]
help-env = {"["}env: { $var }]

## Mistakes on the command line
clap-more-info = For more information, try '--help'.
clap-with-tip = { $message }
    tip: a similar one exists: '{ $suggested }'
clap-unknown-argument = unexpected argument '{ $arg }' found
clap-unknown-subcommand = unrecognized subcommand '{ $name }'
clap-invalid-value-of = invalid value '{ $value }' for '{ $arg }' [possible values: { $valid }]
clap-missing-value = a value is required for '{ $arg }' but none was supplied
clap-not-a-number = invalid value '{ $value }' for '{ $arg }': a whole number is needed
clap-invalid-value = invalid value '{ $value }' for '{ $arg }'
clap-missing-required = the following required arguments were not provided: { $args }
clap-conflict = the argument '{ $arg }' cannot be used with '{ $other }'
clap-missing-subcommand = '{ $name }' requires a subcommand but one was not provided (one of: { $valid })
clap-value-count = wrong number of values for '{ $arg }'
clap-other = { $detail }

## prakat
help-prakat = Publish a police station's announcements to every channel, on time, exactly once
help-global-config = Settings file (TOML). Without one, built-in defaults: data in ./prakat-data, HTTP on 127.0.0.1:8080
help-global-lang = Language of messages: en or th (default: the settings' ui.lang)
help-global-log-format = Log lines on stderr: `text` (colours only on a terminal) or `json` (one object per line, for log collectors)

## serve
help-serve = Run the daemon: publish due announcements; serve the website, media and /healthz (public listener), /metrics and /internal/* (admin listener)

## post
help-post = Queue an announcement for one or more channels
help-post-department = Department code (see `prakat department list`)
help-post-title = Title; defaults to the first line of the text
help-post-text = The text
help-post-text-file = A UTF-8 file holding the text
help-post-media = A photo or video; repeat for several
help-post-at = When to publish, Bangkok time: "YYYY-MM-DD HH:MM"
help-post-now = Publish as soon as possible (the default)
help-post-recur = Post again on a schedule: a cron expression in Bangkok time, seconds first ("0 0 9 * * Mon")
help-post-allow-frequent = With --recur: accept a schedule that posts more often than the setting rules.min_interval (default once an hour)
help-post-channels = Channels, comma separated (default: the settings' post.default_channels)
help-post-link = A link to related material
help-post-tag = A tag; repeat for several
help-post-author = Who is posting (default: $USER)


## rule
help-rule = Recurring rules (made with `post --recur`): list, show, pause, resume, delete, edit
help-rule-list = Every recurring rule: state, schedule, next time (Bangkok), department, title
help-rule-show = One rule in full, with its next three times and its history
help-rule-show-id = The rule's number (the ID column of `rule list`)
help-rule-pause = Stop a rule posting until it is resumed
help-rule-pause-id = The rule's number (the ID column of `rule list`)
help-rule-resume = Let a paused rule post again, from its next time (what it missed is not posted)
help-rule-resume-id = The rule's number (the ID column of `rule list`)
help-rule-delete = Delete a rule: it never posts again (what it posted stays)
help-rule-delete-id = The rule's number (the ID column of `rule list`)
help-rule-edit = Change a rule's text, title, link, channels or schedule; its next three times are shown
help-rule-edit-id = The rule's number (the ID column of `rule list`)
help-rule-edit-title = A new title
help-rule-edit-text = A new text
help-rule-edit-text-file = A UTF-8 file holding the new text
help-rule-edit-link = A link to related material ("" for none)
help-rule-edit-channels = Channels, comma separated
help-rule-edit-recur = A new schedule: a cron expression in Bangkok time, seconds first ("0 0 9 * * Mon")
help-rule-edit-allow-frequent = With --recur: accept a schedule that posts more often than the setting rules.min_interval

## queue
help-queue = See and act on deliveries
help-queue-list = Deliveries with state, due time (Bangkok), channel and last error
help-queue-list-state = Only deliveries in this state: queued, in_flight, published, failed, needs_attention, cancelled
help-queue-list-channel = Only deliveries to this channel
help-queue-list-limit = At most this many deliveries, the newest first (default 100)
help-queue-list-json = Print JSON lines instead of a table
help-queue-list-all = Every delivery, however many
help-queue-show = One delivery in full: Bangkok times, its text as it will read, its history
help-queue-show-id = The delivery's number (the ID column of `queue list`)
help-queue-show-json = Print JSON instead (UTC times)
help-queue-watch = Follow one delivery until it is published or needs a person, with a progress bar while a video uploads
help-queue-watch-id = The delivery's number (the ID column of `queue list`)
help-queue-cancel = Cancel a delivery that has not been published, or every such delivery of an announcement (--announcement)
help-queue-cancel-id = The delivery's number (the ID column of `queue list`)
help-queue-cancel-announcement = The announcement whose deliveries not yet published are all cancelled (the ANN column of `queue list`)
help-queue-pending = Announcements waiting for approval (sent by department staff)
help-queue-pending-limit = At most this many
help-queue-approve = Approve an announcement that waits: queued for its channels, now or at --at
help-queue-approve-id = The announcement's number (the ID column of `queue pending`)
help-queue-approve-at = When to publish, Bangkok time: "YYYY-MM-DD HH:MM" (a Buddhist Era year is read as one; default: its own time, or now)
help-queue-reject = Do not approve an announcement that waits; the sender is told the reason
help-queue-reject-id = The announcement's number (the ID column of `queue pending`)
help-queue-reject-reason = Why it is not approved
help-queue-withdraw = Withdraw an announcement that waits
help-queue-withdraw-id = The announcement's number (the ID column of `queue pending`)
help-queue-retry = Queue a failed, parked or cancelled delivery again — at its own time if that is still to come, else now; one by id, or all of a channel in a state (after fixing a token: `--channel line --state needs_attention`)
help-queue-retry-id = The delivery's number (the ID column of `queue list`)
help-queue-retry-channel = Every delivery of this channel in the state --state names
help-queue-retry-state = With --channel: which deliveries

## department
help-department = The station's lines of work
help-department-list = The departments: code, Thai name, English name
help-department-add = Add a department
help-department-add-code = Short code used on the command line and in URLs (a-z, 0-9, -)
help-department-add-th = The Thai name
help-department-add-en = The English name
help-people = Who may send and approve: chat invites and web desk logins
help-people-invite = Make a one-time invite code for a person to join from the chat bot
help-people-invite-department = The department they send for (department staff)
help-people-invite-role = department_staff (default), pr_officer or admin
help-people-invite-days = Days the code stays valid
help-people-add = Add a person who signs in to the web desk with a password
help-people-add-name = The name shown and recorded as who acted
help-people-add-login = What they type to sign in (default: the name)
help-people-add-role = admin, pr_officer or department_staff
help-people-add-department = The department they send for (department staff)
help-people-add-password-stdin = Read the password from the first line of stdin instead of asking
help-people-password = Give a web desk login a new password; its sessions end
help-people-password-login = The login whose password changes
help-people-password-password-stdin = Read the password from the first line of stdin instead of asking
help-people-token = Make a token for the JSON API (/api/v1) acting as a web desk login; shown once
help-people-token-login = The web desk login the token acts as (with its role)
help-people-token-label = What the token is for (e.g. the system that uses it)

## channels
help-channels = Check the enabled channels
help-channels-check = One line per enabled channel: does it work, what is missing

## bench
help-bench = Measure the dispatcher, the monthly digest and the web desk under load
help-bench-dispatch = Queue N deliveries due at the same moment and time the drain
help-bench-dispatch-deliveries = How many deliveries fall due; several sizes separated by commas (1000,10000,50000,100000) run one after another, with the cost per delivery at each
help-bench-dispatch-spread-ms = Spread the due times evenly over this many milliseconds (0: all at one instant)
help-bench-dispatch-channel = `noop` (measures prakat alone) or `outbox` (writes a file per delivery)
help-bench-dispatch-batch-size = Deliveries claimed per turn (as dispatch.batch_size)
help-bench-dispatch-concurrency = Publishes run at once (as dispatch.concurrency)
help-bench-dispatch-durability = SQLite durability: `full` (what the daemon runs with), `normal` (a power cut may lose the last commits), or `compare` (both in one run, normal first, with the ratio)
help-bench-digest = Build a month's digest (every file, the PDF included) of a month of N announcements on every channel with their reach samples, on a throw-away database, and time each step
help-bench-digest-announcements = Announcements published in the month
help-bench-digest-channels = The channels each announcement is published on (comma-separated; their names are also their kinds)
help-bench-digest-samples = Reach samples per delivery (1 h, 1 day, 7 days, 30 days, then every further 30 days)
help-bench-digest-runs = How many builds are timed one after another (the month is set up once)
help-bench-digest-out = Keep the files of the last build in this folder (to look at the PDF)
help-bench-digest-trace = Write where typst spent its time on the first run's PDF, as a Chrome trace (JSON)
help-bench-desk = Load the web desk's calendar and the JSON API's deliveries on a store of N announcements, served over loopback, and report latency (p50/p90/p99) and requests per second
help-bench-desk-announcements = Announcements in the store, each with a delivery on each of three channels
help-bench-desk-connections = Concurrent connections of the load generator
help-bench-desk-seconds = How long each page is loaded, in seconds (after one second of warm-up)
help-bench-desk-load = `auto` (wrk when on the PATH, else builtin), `wrk` or `builtin` (the bench's own generator)
help-bench-website = Time publishes on the built-in website with N pages already in it: pages per second, the cost of the first hundred against the last, and how long opening the site takes with its index pages current and without
help-bench-website-pages = Pages the site has before the timed publishes
help-bench-website-publishes = Publishes timed, each a new announcement (a new page)
help-bench-website-concurrency = Publishes under way at once (the dispatcher runs several)
help-bench-website-dir = Build the site in this folder (kept) instead of a temporary one

## config
help-config = Show the effective settings (secrets redacted)
help-config-show = Print the effective settings as TOML, secrets redacted

## site
help-site = The built-in website
help-site-rebuild = Re-render every page, index and feed (after editing the website templates). The daemon must be stopped: it writes the same files

## reach
help-reach = How far published announcements reached
help-reach-collect = Take every reach sample that is due now (1 h, 1 day, 7 days, 30 days after publishing, as reach.after says), with a progress bar
help-reach-collect-since = Only deliveries published since this Bangkok date or time ("YYYY-MM-DD" or "YYYY-MM-DD HH:MM"; a Buddhist Era year is read as one)
help-reach-show = The reach samples of one announcement: views, reach, reactions, comments, shares, clicks and video views per channel and slot
help-reach-show-id = The announcement's number (the ANN column of `queue list`)
help-announcement = Correct or take back an approved announcement, and follow each channel's correction
help-announcement-edit = Change the text (and title) of an approved announcement: what is not out yet goes out with it; the website page is rewritten with "แก้ไขเมื่อ …"; Facebook, WordPress and YouTube posts are changed; for LINE and TikTok you are told what to do by hand
help-announcement-edit-id = The announcement's number (the announcement column of `queue list`)
help-announcement-edit-title = The new title (default: the first line of the text)
help-announcement-edit-text = The new text, whole
help-announcement-edit-text-file = A UTF-8 file holding the new text
help-announcement-edit-author = Who is correcting (default: $USER)
help-announcement-retract = Take an approved announcement back: cancelled where not yet out, off the website's indexes and feeds (its page a notice, or removed), deleted on Facebook, WordPress and YouTube; for LINE and TikTok you are told what to do by hand
help-announcement-retract-id = The announcement's number (the announcement column of `queue list`)
help-announcement-retract-reason = Why (shown on the website's notice, kept in the audit trail)
help-announcement-retract-author = Who is taking it back (default: $USER)
help-announcement-show = An announcement's state and revision, and each channel's corrections
help-announcement-show-id = The announcement's number (the announcement column of `queue list`)
help-announcement-show-wait = Wait until every correction is carried out (the daemon must be running)

## digest
help-digest = Build one month's digest per department (HTML for printing, PDF, CSV, XLSX, JSON) into a folder; the daemon publishes last month's on the website on the first of each month
help-digest-month = The month: "2569-11" (Buddhist Era) or "2026-11"; last month when not given
help-digest-out = The folder the files are written into (made if missing); the current folder by default
