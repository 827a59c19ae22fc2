# Messages every part of prakat shares. One file per area (cli.ftl, newsroom.ftl …); every id
# here exists in locales/th with the same variables (a test checks).
yes = yes
no = no
error-prefix = prakat: { $message }
# A text that arrived already worded (in both languages) from elsewhere.
as-written = { $text }
# A span of time in words. $unit: second, minute, hour, day.
duration = { $unit ->
        [second] { $n ->
            [one] one second
           *[other] { $n } seconds
        }
        [minute] { $n ->
            [one] one minute
           *[other] { $n } minutes
        }
        [day] { $n ->
            [one] one day
           *[other] { $n } days
        }
       *[hour] { $n ->
            [one] one hour
           *[other] { $n } hours
        }
    }
# A day of the week, from its English abbreviation.
weekday = { $day }
