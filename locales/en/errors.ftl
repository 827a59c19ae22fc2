# What goes wrong, said so a person can act on it: the command line's own checks and the
# errors of the store, the locks, the database, the media store, composing and the channels.

## The command line's own checks
error-other = { $detail }
error-no-such-channel = there is no channel { $name }; channels: { $known }
error-unknown-state = unknown state { $state }; one of: { $states }
error-delivery-stopped = delivery { $id } is { $state }: { $why }
error-department-code = department code { $code } must be 1-32 characters of a-z, 0-9 and -
error-department-names = both --th and --en names are needed
error-daemon-running = the daemon is running and writes the same files: stop it, rebuild, then start it again
error-website-off = the website is turned off (channels.website.enabled = false)
error-site-rebuild = cannot rebuild the website in { $dir }: { $detail }
error-channels-failed = { $count } channel(s) failed the check
error-reach-since = cannot read --since { $input }: write a Bangkok date or time as "YYYY-MM-DD" or "YYYY-MM-DD HH:MM" (a Buddhist Era year such as 2569 is read as one)
error-reach-failed = { $count } reach sample(s) failed; they are tried again on a later collection
error-listen = cannot listen on { $addr } (set { $key } or { $env }): { $reason }

## Why a file or folder could not be used
io-not-found = no such file or directory
io-permission-denied = permission denied
io-already-exists = it already exists
io-disk-full = the disk is full
io-read-only = the file system is read-only
io-is-a-directory = it is a folder, not a file
io-not-a-directory = a part of the path is a file, not a folder
io-other = { $detail }

## The store. $kind: delivery, announcement, department, media, rule
store-not-found = { $kind } { $key } not found
store-not-found-other = { $what } not found
store-exists = { $kind ->
        [announcement] announcement already exists
       *[other] { $kind } { $key } already exists
    }
store-conflict = { $detail }
store-delivery-state = delivery { $id } is { $state }; only a delivery that is { $allowed } can be { $action ->
        [cancel] cancelled
       *[retry] retried
    }
store-no-channel = an announcement needs at least one channel
store-invalid = { $detail }
store-database = database error: { $detail }
store-migrate = database migration failed: { $detail }
store-corrupt = stored data is not readable: { $detail }

## The daemon's locks. $kind: data-directory, database
lock-held = another prakat daemon is already using { $kind ->
        [database] the database
       *[other] the data directory
    } { $path } (lock { $lock }): stop it first
lock-io = cannot take the lock { $lock }: { $reason }

## The folders that belong to a database
folder-media-store = the media store
folder-website = the website (channel { $channel })
folder-outbox = the outbox (channel { $channel })
binding-database-missing = the database file { $db } is missing, but { $what } ({ $folder }) belongs to a database (identity { $id }): the database was deleted or moved. Stop prakat and restore { $db } from a backup. To start afresh instead, move { $folder } aside first (its published pages would otherwise be overwritten)
binding-mismatch = { $what } ({ $folder }) belongs to another database (identity { $theirs }); the database { $db } is { $ours }. The database was replaced or recreated: restore the right database from a backup, or, to start afresh with this one, move { $folder } aside
binding-io = cannot { $action } { $path }: { $reason }

## Opening the data directory and the database
open-data-directory = cannot create the data directory { $path }: { $reason }
open-unsupported-database = storage.database_url { $url }: only sqlite:// databases are supported in this version
open-damaged = the database file { $db } is damaged or is not a prakat database: stop prakat and restore it from a backup
open-read-only = the database file { $db } is read-only: give the user running prakat write access to it and to its folder
open-cannot-open = cannot open the database file { $db }: check that its folder exists and that the user running prakat may write there
open-disk-full = the disk holding the database file { $db } is full: free some space
open-newer = the database { $db } was written by a newer prakat (its change { $version } is unknown to this one): run the newer prakat, or restore a backup made with this version
open-other-build = the database { $db } was prepared by a different build of prakat (change { $version } differs): run the prakat that made it
open-other = cannot open the database { $db }: { $detail }

## Building the channels
channel-setup = channels.{ $channel }: { $detail }
channel-directory = cannot create { $path }: { $reason }
channel-website-open = cannot open the website in { $dir }: { $detail }

## The media store. $kind: image, video
media-missing = media file { $path } does not exist
media-read = cannot read media file { $path }: { $reason }
media-unsupported = media file { $path }: its content is { $mime }, which is not supported (photos and videos only: JPEG, PNG, GIF, WebP, HEIF, MP4, MOV, WebM …; SVG is refused)
media-too-large = media file { $path } is { $size }; the limit for a { $kind } is { $limit } (setting media.max_{ $kind }_bytes)
media-store = cannot store media in { $dir }: { $reason }

## Composing an announcement for its channels
compose-template = template { $name }: { $detail }
compose-unknown-channel = channel { $channel } is not configured (enabled channels: { $known })
compose-nothing-to-send = no channel takes this announcement: { $skipped }
compose-channel-reason = { $channel }: { $reason }

## A failed publish or health check; $detail is the platform's own words
publish-retry-after = rate limited, retry after { $wait }: { $detail }
publish-transient = temporary failure: { $detail }
publish-quota = quota used up until { $until }: { $detail }
publish-auth = authorisation failed: { $detail }
publish-rejected = rejected by the platform: { $detail }
publish-ambiguous = outcome unknown (the request may have been applied): { $detail }

## A channel's health, after its own summary
health-token-expires = token expires { $at }
health-missing-permissions = missing permissions: { $permissions }
health-quota = quota: { $quota }
error-digest-month = cannot read --month { $input }: write a month as "YYYY-MM", a Buddhist Era year (2569-11) or a common era one (2026-11)
error-digest-build = the digest could not be built: { $error }
