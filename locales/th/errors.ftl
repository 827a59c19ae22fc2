# ข้อผิดพลาด เขียนให้เจ้าหน้าที่รู้ว่าต้องทำอะไรต่อ: การตรวจสอบของคำสั่ง และข้อผิดพลาดจากฐานข้อมูล
# ไฟล์ล็อก คลังไฟล์สื่อ การจัดทำข้อความ และช่องทางเผยแพร่

## การตรวจสอบของคำสั่ง
error-other = เกิดข้อผิดพลาด: { $detail }
error-no-such-channel = ไม่มีช่องทาง { $name } (ช่องทางที่มี: { $known })
error-unknown-state = ไม่มีสถานะ { $state } (ใช้ได้: { $states })
error-delivery-stopped = รายการเผยแพร่หมายเลข { $id } อยู่ในสถานะ “{ $state }”: { $why }
error-department-code = รหัสหน่วยงาน { $code } ต้องเป็นตัวอักษร a-z, 0-9 หรือ - ยาว 1–32 ตัว
error-department-names = ต้องระบุชื่อหน่วยงานทั้งภาษาไทย (--th) และภาษาอังกฤษ (--en)
error-daemon-running = prakat serve กำลังทำงานและเขียนไฟล์ชุดเดียวกันอยู่: กรุณาหยุดก่อน สร้างเว็บไซต์ใหม่ แล้วจึงเริ่มอีกครั้ง
error-website-off = ปิดการใช้งานเว็บไซต์อยู่ (channels.website.enabled = false)
error-site-rebuild = สร้างเว็บไซต์ใน { $dir } ใหม่ไม่สำเร็จ: { $detail }
error-channels-failed = ช่องทางใช้งานไม่ได้ { $count } ช่องทาง
error-reach-since = อ่านค่า --since { $input } ไม่ได้: กรุณาระบุวันหรือเวลาไทยเป็น "YYYY-MM-DD" หรือ "YYYY-MM-DD HH:MM" (ปี พ.ศ. เช่น 2569 ใช้ได้)
error-reach-failed = เก็บยอดการเข้าถึงไม่สำเร็จ { $count } รายการ ระบบจะลองใหม่ในการเก็บรอบถัดไป
error-listen = เปิดพอร์ต { $addr } ไม่ได้: { $reason } (ตั้งค่าได้ที่ { $key } หรือ { $env })

## เหตุที่ใช้ไฟล์หรือโฟลเดอร์ไม่ได้
io-not-found = ไม่พบไฟล์หรือโฟลเดอร์นี้
io-permission-denied = ไม่มีสิทธิ์เข้าถึง
io-already-exists = มีอยู่แล้ว
io-disk-full = พื้นที่ดิสก์เต็ม
io-read-only = ระบบไฟล์อ่านได้อย่างเดียว
io-is-a-directory = เป็นโฟลเดอร์ ไม่ใช่ไฟล์
io-not-a-directory = ส่วนหนึ่งของเส้นทางเป็นไฟล์ ไม่ใช่โฟลเดอร์
io-other = { $detail }

## ฐานข้อมูล $kind: delivery, announcement, department, media, rule
store-not-found = { $kind ->
        [delivery] ไม่พบรายการเผยแพร่หมายเลข { $key }
        [announcement] ไม่พบประกาศหมายเลข { $key }
        [department] ไม่พบหน่วยงาน { $key }
        [media] ไม่พบไฟล์สื่อ { $key }
       *[rule] ไม่พบกำหนดการเผยแพร่ซ้ำหมายเลข { $key }
    }
store-not-found-other = ไม่พบ { $what }
store-exists = { $kind ->
        [announcement] มีประกาศนี้อยู่แล้ว
        [department] มีหน่วยงาน { $key } อยู่แล้ว
        [delivery] มีรายการเผยแพร่หมายเลข { $key } อยู่แล้ว
        [media] มีไฟล์สื่อ { $key } อยู่แล้ว
       *[rule] มีกำหนดการเผยแพร่ซ้ำหมายเลข { $key } อยู่แล้ว
    }
store-conflict = ทำรายการนี้ไม่ได้: { $detail }
store-delivery-state = { $action ->
        [cancel] ยกเลิก
       *[retry] ส่งใหม่
    }รายการเผยแพร่หมายเลข { $id } ไม่ได้ เพราะอยู่ในสถานะ “{ $state }” ({ $action ->
        [cancel] ยกเลิก
       *[retry] ส่งใหม่
    }ได้เฉพาะรายการที่อยู่ในสถานะ { $allowed })
store-no-channel = ประกาศต้องมีช่องทางเผยแพร่อย่างน้อยหนึ่งช่องทาง
store-invalid = ข้อมูลไม่ถูกต้อง: { $detail }
store-database = ฐานข้อมูลขัดข้อง: { $detail }
store-migrate = ปรับปรุงโครงสร้างฐานข้อมูลไม่สำเร็จ: { $detail }
store-corrupt = อ่านข้อมูลที่บันทึกไว้ไม่ได้: { $detail }

## ไฟล์ล็อกของระบบเผยแพร่ $kind: data-directory, database
lock-held = มี prakat serve อีกชุดหนึ่งกำลังใช้{ $kind ->
        [database] ฐานข้อมูล
       *[other] โฟลเดอร์ข้อมูล
    } { $path } อยู่ (ไฟล์ล็อก { $lock }): กรุณาหยุดชุดนั้นก่อน
lock-io = สร้างไฟล์ล็อก { $lock } ไม่ได้: { $reason }

## โฟลเดอร์ที่เป็นของฐานข้อมูล
folder-media-store = คลังไฟล์สื่อ
folder-website = เว็บไซต์ (ช่องทาง { $channel })
folder-outbox = outbox (ช่องทาง { $channel })
binding-database-missing = ไม่พบไฟล์ฐานข้อมูล { $db } แต่{ $what } ({ $folder }) เป็นของฐานข้อมูลหนึ่งอยู่แล้ว (รหัส { $id }): ฐานข้อมูลถูกลบหรือถูกย้ายไป กรุณาหยุด prakat แล้วกู้คืน { $db } จากข้อมูลสำรอง หากต้องการเริ่มใหม่ทั้งหมด ให้ย้าย { $folder } ไปไว้ที่อื่นก่อน (มิฉะนั้นหน้าที่เผยแพร่แล้วจะถูกเขียนทับ)
binding-mismatch = { $what } ({ $folder }) เป็นของฐานข้อมูลอื่น (รหัส { $theirs }) ส่วนฐานข้อมูล { $db } มีรหัส { $ours }: ฐานข้อมูลถูกแทนที่หรือสร้างขึ้นใหม่ กรุณากู้คืนฐานข้อมูลที่ถูกต้องจากข้อมูลสำรอง หรือหากต้องการเริ่มใหม่กับฐานข้อมูลนี้ ให้ย้าย { $folder } ไปไว้ที่อื่น
binding-io = { $action ->
        [read] อ่าน
        [write] เขียน
       *[create] สร้าง
    } { $path } ไม่ได้: { $reason }

## การเปิดโฟลเดอร์ข้อมูลและฐานข้อมูล
open-data-directory = สร้างโฟลเดอร์ข้อมูล { $path } ไม่ได้: { $reason }
open-unsupported-database = storage.database_url { $url }: รุ่นนี้รองรับเฉพาะฐานข้อมูล sqlite://
open-damaged = ไฟล์ฐานข้อมูล { $db } เสียหายหรือไม่ใช่ฐานข้อมูลของ prakat: กรุณาหยุด prakat แล้วกู้คืนไฟล์จากข้อมูลสำรอง
open-read-only = ไฟล์ฐานข้อมูล { $db } อ่านได้อย่างเดียว: กรุณาให้สิทธิ์เขียนไฟล์นี้และโฟลเดอร์ของไฟล์แก่ผู้ใช้ที่รัน prakat
open-cannot-open = เปิดไฟล์ฐานข้อมูล { $db } ไม่ได้: ตรวจสอบว่าโฟลเดอร์ของไฟล์มีอยู่จริง และผู้ใช้ที่รัน prakat มีสิทธิ์เขียนในโฟลเดอร์นั้น
open-disk-full = พื้นที่ดิสก์ที่เก็บไฟล์ฐานข้อมูล { $db } เต็ม: กรุณาเพิ่มพื้นที่ว่าง
open-newer = ฐานข้อมูล { $db } ถูกบันทึกโดย prakat รุ่นที่ใหม่กว่า (รุ่นนี้ไม่รู้จักการปรับปรุงหมายเลข { $version }): ใช้ prakat รุ่นใหม่ หรือกู้คืนข้อมูลสำรองที่ทำด้วยรุ่นนี้
open-other-build = ฐานข้อมูล { $db } ถูกเตรียมโดย prakat อีกรุ่นหนึ่ง (การปรับปรุงหมายเลข { $version } ไม่ตรงกัน): ใช้ prakat รุ่นที่สร้างฐานข้อมูลนี้
open-other = เปิดฐานข้อมูล { $db } ไม่ได้: { $detail }

## การเตรียมช่องทางเผยแพร่
channel-setup = การตั้งค่าช่องทาง channels.{ $channel } ใช้ไม่ได้: { $detail }
channel-directory = สร้างโฟลเดอร์ { $path } ไม่ได้: { $reason }
channel-website-open = เปิดเว็บไซต์ใน { $dir } ไม่ได้: { $detail }

## คลังไฟล์สื่อ $kind: image, video
media-missing = ไม่พบไฟล์สื่อ { $path }
media-read = อ่านไฟล์สื่อ { $path } ไม่ได้: { $reason }
media-unsupported = ไฟล์ { $path } เป็นชนิด { $mime } ซึ่งไม่รองรับ (รับเฉพาะรูปภาพและวิดีโอ เช่น JPEG, PNG, GIF, WebP, HEIF, MP4, MOV, WebM; ไม่รับ SVG)
media-too-large = ไฟล์ { $path } ใหญ่เกินไป ({ $size } เกินขนาดที่รับได้ { $limit } สำหรับ{ $kind ->
        [image] รูปภาพ
       *[other] วิดีโอ
    } ตั้งค่าได้ที่ media.max_{ $kind }_bytes)
media-store = บันทึกไฟล์สื่อลง { $dir } ไม่ได้: { $reason }

## การจัดทำข้อความสำหรับแต่ละช่องทาง
compose-template = แม่แบบ { $name } ผิดพลาด: { $detail }
compose-unknown-channel = ไม่มีช่องทาง { $channel } (ช่องทางที่เปิดใช้: { $known })
compose-nothing-to-send = ไม่มีช่องทางใดรับประกาศนี้: { $skipped }
compose-channel-reason = { $channel }: { $reason }

## การเผยแพร่หรือการตรวจสอบช่องทางที่ไม่สำเร็จ $detail คือข้อความจากแพลตฟอร์ม
publish-retry-after = แพลตฟอร์มจำกัดจำนวนครั้งที่ส่ง ให้ลองใหม่ในอีก { $wait }: { $detail }
publish-transient = ขัดข้องชั่วคราว: { $detail }
publish-quota = ใช้โควตาหมดแล้ว จนถึง { $until }: { $detail }
publish-auth = ยืนยันสิทธิ์ไม่ผ่าน (ต้องแก้ไขโทเค็นหรือสิทธิ์การเข้าถึง): { $detail }
publish-rejected = แพลตฟอร์มไม่รับเนื้อหานี้: { $detail }
publish-ambiguous = ไม่ทราบผล (คำขออาจสำเร็จไปแล้ว): { $detail }

## สถานะช่องทาง ต่อท้ายสรุปของช่องทาง
health-token-expires = โทเค็นหมดอายุ { $at }
health-missing-permissions = ยังไม่ได้รับสิทธิ์: { $permissions }
health-quota = โควตา: { $quota }
error-digest-month = อ่านค่า --month { $input } ไม่ได้: กรุณาระบุเดือนเป็น "YYYY-MM" ปี พ.ศ. (2569-11) หรือ ค.ศ. (2026-11)
error-digest-build = สร้างรายงานประจำเดือนไม่สำเร็จ: { $error }
