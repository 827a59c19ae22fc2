# What is wrong with the settings: always the file or variable, the key and the line.

settings-read = cannot read settings file { $path }: { $reason }
# $quote: the lines of the file the TOML reader quotes, with the marks under the mistake.
settings-file = invalid settings in { $path }, line { $line }, column { $column }: { $reason }{ $quote }
settings-file-no-line = invalid settings in { $path }: { $reason }{ $quote }
settings-syntax = this is not TOML: { $detail }
settings-env = invalid setting in environment variable { $var }: { $key }: { $reason }
settings-env-name = invalid setting in environment variable { $var }: empty key segment
settings-invalid = invalid settings: { $detail }

## The reasons
settings-unknown-key = unknown setting `{ $key }` (known here: { $known })
settings-unknown-key-none = unknown setting `{ $key }`: this section has no settings
settings-unknown-value = unknown value `{ $value }` (one of { $known })
settings-missing-key = missing setting `{ $key }`
settings-wrong-type = invalid type: { $found }, expected { $wanted }
settings-wrong-value = invalid value: { $found }, expected { $wanted }
settings-reason = { $detail }

## The settings' own checks
settings-batch-zero = dispatch.batch_size and dispatch.concurrency must be at least 1
settings-attempts-zero = dispatch.max_attempts must be at least 1
settings-reach-zero = reach.batch_size, reach.max_attempts and reach.every must be above zero (to stop collecting, set reach.enabled = false)
settings-lease-short = dispatch.lease ({ $lease }) must be longer than dispatch.publish_timeout ({ $timeout }), or a slow publish could be claimed twice
settings-channel-timeout = channels.{ $name }.publish_timeout ({ $timeout }) must be shorter than dispatch.lease ({ $lease }), or a slow publish could be claimed twice
settings-public-url-missing = server.listen is { $listen } (every address of this machine) but server.public_base_url is not set: the website's links and those sent to LINE and Facebook would point at http://{ $listen }, which no reader can open. Set server.public_base_url to the address the public uses, e.g. "https://ranong.police.go.th" (or PRAKAT__SERVER__PUBLIC_BASE_URL)
settings-admin-same = server.admin_listen ({ $addr }) must differ from server.listen: the admin listener is kept apart from the public one
settings-public-url-scheme = server.public_base_url must start with http:// or https://, not { $url }
settings-default-channel = post.default_channels names { $channel }, which is not an enabled channel
settings-one-website = channels.{ $name }: there is one website, the section [channels.website]
settings-telegram-summary-time = telegram.daily_summary_at must be a time of day as HH:MM (Bangkok), such as "08:30", or empty for no summary; not { $value }
settings-telegram-api-url = telegram.api_url must start with http:// or https://, not { $url }
settings-telegram-webhook-https = telegram.mode = "webhook" needs server.public_base_url starting with https:// (Telegram calls webhooks over https only); use mode = "polling" behind NAT
