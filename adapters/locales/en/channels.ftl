# Why a channel cannot take an announcement: its refusals (the announcement must change) and
# its skips (the channel does not carry this kind of announcement). Every id here exists in
# locales/th with the same variables (the application's tests check).
# $kind is "image" or "video"; sizes are in MB, already written out.

## TikTok
tiktok-one-video = TikTok takes one video per post; this announcement has { $count }
tiktok-needs-media = TikTok needs a video or photos: this announcement has neither
tiktok-too-many-photos = TikTok takes at most { $max } photos per post; this announcement has { $count }
tiktok-photo-type = TikTok takes JPEG or WebP photos only; { $name } is { $mime }
tiktok-photo-too-large = photo { $name } is { $size } MB; TikTok takes at most { $max } MB per photo
tiktok-video-type = TikTok takes MP4, MOV or WebM video only; { $name } is { $mime }
tiktok-video-empty = the video { $name } is empty (0 bytes); TikTok takes 1 byte to { $max } MB
tiktok-video-too-large = the video { $name } is { $size } MB; TikTok takes 1 byte to { $max } MB

## Facebook
facebook-empty = A Facebook post needs a text, a link or media.
facebook-mixed-media = A Facebook post carries either photos or one video ({ $images } photos, { $videos } videos): split the media over two announcements.
facebook-too-many-photos = Too many photos for one Facebook post ({ $count }/{ $max }): remove some.
facebook-media-type = Facebook does not take { $kind ->
        [image] photo
       *[other] video
    } { $name } of type { $mime } (it takes { $types }).
facebook-media-too-large = The { $kind ->
        [image] photo
       *[other] video
    } { $name } is too large for Facebook ({ $size }/{ $max } MB): make it smaller.

## YouTube
youtube-video-only = YouTube publishes video only: this announcement has no video
youtube-video-empty = the video { $name } is empty (0 bytes)
youtube-video-too-large = the video { $name } is { $size } MB; YouTube takes at most { $max } MB here (youtube.max_video_bytes)
youtube-no-title = YouTube needs a title: the announcement has neither a title nor text

## LINE
line-https-media = LINE fetches images and videos only over HTTPS, but public_base_url is { $url }: serve prakat over HTTPS or send without media
line-too-many-messages = LINE sends at most { $max } messages at once; this announcement needs { $count } (text and { $media } media): attach fewer images
line-nothing-to-send = the announcement has neither text nor a title to send on LINE
line-media-type = { $kind ->
        [image] LINE takes JPEG or PNG for an image
       *[other] LINE takes MP4 for a video
    }; { $name } is { $mime }
line-media-too-large = { $kind ->
        [image] image
       *[other] video
    } { $name } is { $size } MB; LINE takes at most { $max } MB

## WordPress
wordpress-too-many-media = { $count } media files; a WordPress post takes at most { $max }
wordpress-media-type = { $name } is { $mime }, which WordPress does not take (allowed: { $allowed })
wordpress-media-too-large = { $kind ->
        [image] the photo
       *[other] the video
    } { $name } is { $size } MB; the WordPress site takes files up to { $max } MB

## Outbox
outbox-text-too-long = text is { $count } characters; the outbox takes at most { $max }
