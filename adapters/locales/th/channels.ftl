# เหตุที่ช่องทางรับประกาศไม่ได้ (ต้องแก้ประกาศก่อน) หรือข้ามช่องทางนั้นไป (ช่องทางนี้ไม่รับประกาศประเภทนี้)
# ทุกรหัสต้องมีใน locales/en และใช้ตัวแปรชุดเดียวกัน
# $kind คือ "image" หรือ "video"; ขนาดเป็น MB

## TikTok
tiktok-one-video = TikTok โพสต์ได้ครั้งละหนึ่งวิดีโอ (ประกาศนี้มี { $count } วิดีโอ)
tiktok-needs-media = TikTok ต้องมีวิดีโอหรือรูปภาพ: ประกาศนี้ไม่มีทั้งสองอย่าง
tiktok-too-many-photos = รูปภาพมากเกินไปสำหรับ TikTok ({ $count }/{ $max } รูป)
tiktok-photo-type = TikTok รับรูป JPEG หรือ WebP เท่านั้น (ไฟล์ { $name } เป็น { $mime })
tiktok-photo-too-large = รูปภาพใหญ่เกินไปสำหรับ TikTok ({ $name }: { $size }/{ $max } MB)
tiktok-video-type = TikTok รับวิดีโอ MP4, MOV หรือ WebM เท่านั้น (ไฟล์ { $name } เป็น { $mime })
tiktok-video-empty = ไฟล์วิดีโอ { $name } ว่างเปล่า (0 ไบต์) TikTok รับวิดีโอขนาดไม่เกิน { $max } MB
tiktok-video-too-large = วิดีโอใหญ่เกินไปสำหรับ TikTok ({ $size }/{ $max } MB): { $name }

## Facebook
facebook-empty = โพสต์ Facebook ต้องมีข้อความ ลิงก์ หรือภาพ/วิดีโออย่างน้อยหนึ่งอย่าง
facebook-mixed-media = โพสต์ Facebook มีได้เฉพาะภาพ หรือวิดีโอ 1 ไฟล์ (ภาพ { $images } วิดีโอ { $videos }) กรุณาแยกเป็นสองประกาศ
facebook-too-many-photos = ภาพมากเกินสำหรับโพสต์ Facebook ({ $count }/{ $max } ภาพ) กรุณาลดจำนวนภาพ
facebook-media-type = Facebook ไม่รับ{ $kind ->
        [image] ภาพ
       *[other] วิดีโอ
    } { $name } ชนิด { $mime } (รับ { $types })
facebook-media-too-large = { $kind ->
        [image] ภาพ
       *[other] วิดีโอ
    }ใหญ่เกินไปสำหรับ Facebook ({ $size }/{ $max } MB) กรุณาลดขนาดไฟล์ { $name }

## YouTube
youtube-video-only = YouTube เผยแพร่ได้เฉพาะวิดีโอ: ประกาศนี้ไม่มีวิดีโอ
youtube-video-empty = ไฟล์วิดีโอ { $name } ว่างเปล่า (0 ไบต์)
youtube-video-too-large = วิดีโอใหญ่เกินไปสำหรับ YouTube ({ $size }/{ $max } MB): { $name } (ขนาดสูงสุดตั้งไว้ที่ youtube.max_video_bytes)
youtube-no-title = YouTube ต้องมีชื่อวิดีโอ: ประกาศนี้ไม่มีทั้งหัวข้อและข้อความ

## LINE
line-https-media = LINE ดึงรูปภาพและวิดีโอได้เฉพาะทาง HTTPS แต่ที่อยู่สาธารณะของระบบคือ { $url }: ตั้งค่า public_base_url เป็น https:// หรือส่งโดยไม่แนบสื่อ
line-too-many-messages = สื่อมากเกินไปสำหรับ LINE: ต้องใช้ { $count }/{ $max } ข้อความต่อการส่ง (ข้อความ 1 + สื่อ { $media }) — ลดจำนวนรูปภาพลง
line-nothing-to-send = ไม่มีข้อความหรือหัวข้อที่จะส่งทาง LINE
line-media-type = { $kind ->
        [image] LINE รับรูปภาพเฉพาะ JPEG หรือ PNG
       *[other] LINE รับวิดีโอเฉพาะ MP4
    } แต่ไฟล์ { $name } เป็น { $mime }
line-media-too-large = { $kind ->
        [image] รูปภาพ
       *[other] วิดีโอ
    }ใหญ่เกินไปสำหรับ LINE: { $name } ({ $size }/{ $max } MB)

## WordPress
wordpress-too-many-media = ไฟล์สื่อมากเกินไปสำหรับ WordPress ({ $count }/{ $max } ไฟล์)
wordpress-media-type = WordPress ไม่รับไฟล์ชนิด { $mime } ({ $name }) รับเฉพาะ { $allowed }
wordpress-media-too-large = { $kind ->
        [image] รูปภาพ
       *[other] วิดีโอ
    }ใหญ่เกินไปสำหรับ WordPress ({ $size }/{ $max } MB): { $name }

## Outbox
outbox-text-too-long = ข้อความยาวเกินสำหรับ outbox ({ $count }/{ $max } ตัวอักษร)
