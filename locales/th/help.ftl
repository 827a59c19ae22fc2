# วิธีใช้คำสั่ง (--help) และข้อความเมื่อพิมพ์คำสั่งผิด
# help-<คำสั่ง> สำหรับคำสั่ง, help-<คำสั่ง>-<ตัวเลือก> สำหรับตัวเลือก,
# help-global-<ตัวเลือก> สำหรับตัวเลือกที่ใช้ได้กับทุกคำสั่ง

## ถ้อยคำของตัวแยกคำสั่ง
help-heading-usage = วิธีใช้:
help-heading-commands = คำสั่ง
help-heading-options = ตัวเลือก
help-heading-arguments = ค่าที่ต้องระบุ
help-flag-help = แสดงวิธีใช้
help-flag-version = แสดงรุ่นของโปรแกรม
help-help = แสดงวิธีใช้ของโปรแกรม หรือของคำสั่งที่ระบุ
help-help-subcommand = คำสั่งที่ต้องการดูวิธีใช้
help-default = {"["}ค่าเริ่มต้น: { $value }]
help-possible = {"["}ค่าที่ใช้ได้: { $values }]
help-env = {"["}ตัวแปรแวดล้อม: { $var }]

## พิมพ์คำสั่งผิด
clap-more-info = ดูวิธีใช้เพิ่มเติม: พิมพ์ --help ต่อท้ายคำสั่ง
clap-with-tip = { $message }
    คำแนะนำ: หมายถึง '{ $suggested }' หรือไม่
clap-unknown-argument = ไม่รู้จักตัวเลือก '{ $arg }'
clap-unknown-subcommand = ไม่มีคำสั่ง '{ $name }'
clap-invalid-value-of = ค่า '{ $value }' ใช้กับ '{ $arg }' ไม่ได้ (ค่าที่ใช้ได้: { $valid })
clap-missing-value = ต้องใส่ค่าให้ '{ $arg }'
clap-not-a-number = ค่า '{ $value }' ของ '{ $arg }' ต้องเป็นตัวเลขจำนวนเต็ม
clap-invalid-value = ค่า '{ $value }' ของ '{ $arg }' ไม่ถูกต้อง
clap-missing-required = ยังไม่ได้ระบุ: { $args }
clap-conflict = ใช้ '{ $arg }' ร่วมกับ '{ $other }' ไม่ได้
clap-missing-subcommand = ต้องระบุคำสั่งย่อยของ '{ $name }' (ที่มี: { $valid })
clap-value-count = จำนวนค่าของ '{ $arg }' ไม่ถูกต้อง
clap-other = คำสั่งไม่ถูกต้อง: { $detail }

## prakat
help-prakat = เผยแพร่ประกาศและข่าวประชาสัมพันธ์ของสถานีตำรวจไปยังทุกช่องทาง ตรงเวลา และเพียงครั้งเดียวต่อช่องทาง
help-global-config = ไฟล์ตั้งค่า (TOML) ถ้าไม่ระบุจะใช้ค่าเริ่มต้น: เก็บข้อมูลที่ ./prakat-data และเปิดเว็บที่ 127.0.0.1:8080
help-global-lang = ภาษาของข้อความ: en (อังกฤษ) หรือ th (ไทย) ค่าเริ่มต้นตาม ui.lang ในไฟล์ตั้งค่า
help-global-log-format = รูปแบบบันทึกการทำงาน (log) ทาง stderr: text (อ่านง่าย มีสีเมื่อแสดงบนจอ) หรือ json (บรรทัดละหนึ่งรายการ สำหรับระบบรวบรวม log)

## serve
help-serve = เริ่มระบบเผยแพร่ให้ทำงานต่อเนื่อง: เผยแพร่ประกาศที่ถึงกำหนด เปิดเว็บไซต์ ไฟล์สื่อ และ /healthz (ช่องทางสาธารณะ) กับ /metrics และ /internal/* (ช่องทางผู้ดูแลระบบ)

## post
help-post = ส่งประกาศเข้าคิวเพื่อเผยแพร่ทางช่องทางเดียวหรือหลายช่องทาง
help-post-department = รหัสหน่วยงาน (ดูได้จากคำสั่ง prakat department list)
help-post-title = หัวข้อ ถ้าไม่ระบุจะใช้บรรทัดแรกของข้อความ
help-post-text = เนื้อหาประกาศ
help-post-text-file = ไฟล์เนื้อหาประกาศ (บันทึกแบบ UTF-8)
help-post-media = รูปภาพหรือวิดีโอ ใส่ซ้ำได้หลายครั้งเพื่อแนบหลายไฟล์
help-post-at = เวลาที่จะเผยแพร่ ตามเวลาประเทศไทย เขียนเป็น "ปปปป-ดด-วว ชช:นน" (ปี ค.ศ.) เช่น "2026-12-01 09:00"
help-post-now = เผยแพร่ทันที (ค่าเริ่มต้น)
help-post-recur = เผยแพร่ซ้ำตามกำหนดการ: นิพจน์ cron ตามเวลาประเทศไทย เริ่มจากวินาที เช่น "0 0 9 * * Mon" = ทุกวันจันทร์ เวลา 09.00 น.
help-post-allow-frequent = ใช้กับ --recur: ยอมรับรอบเวลาที่ประกาศถี่กว่าค่า rules.min_interval (ค่าเริ่มต้นชั่วโมงละครั้ง)
help-post-channels = ช่องทาง คั่นด้วยเครื่องหมายจุลภาค (ค่าเริ่มต้นตาม post.default_channels ในไฟล์ตั้งค่า)
help-post-link = ลิงก์ไปยังข้อมูลที่เกี่ยวข้อง
help-post-tag = แท็ก ใส่ซ้ำได้หลายครั้ง
help-post-author = ผู้ส่งประกาศ (ค่าเริ่มต้น: ชื่อผู้ใช้ของเครื่อง $USER)


## rule
help-rule = กำหนดการประกาศซ้ำ (สร้างด้วย `post --recur`): ดูรายการ ดูรายละเอียด หยุดชั่วคราว ใช้งานต่อ ลบ แก้ไข
help-rule-list = กำหนดการประกาศซ้ำทั้งหมด: สถานะ รอบเวลา ครั้งต่อไป (เวลาไทย) หน่วยงาน หัวข้อ
help-rule-show = รายละเอียดกำหนดการหนึ่งรายการ พร้อมเวลาสามครั้งถัดไปและประวัติ
help-rule-show-id = หมายเลขกำหนดการ (คอลัมน์ ID ของ `rule list`)
help-rule-pause = หยุดกำหนดการไว้ชั่วคราวจนกว่าจะสั่งให้ใช้งานต่อ
help-rule-pause-id = หมายเลขกำหนดการ (คอลัมน์ ID ของ `rule list`)
help-rule-resume = ให้กำหนดการที่หยุดไว้ประกาศต่อตั้งแต่รอบถัดไป (รอบที่พลาดไประหว่างหยุดจะไม่ประกาศ)
help-rule-resume-id = หมายเลขกำหนดการ (คอลัมน์ ID ของ `rule list`)
help-rule-delete = ลบกำหนดการ: จะไม่ประกาศอีก (ประกาศที่ออกไปแล้วยังคงอยู่)
help-rule-delete-id = หมายเลขกำหนดการ (คอลัมน์ ID ของ `rule list`)
help-rule-edit = แก้ไขข้อความ หัวข้อ ลิงก์ ช่องทาง หรือรอบเวลาของกำหนดการ พร้อมแสดงเวลาสามครั้งถัดไป
help-rule-edit-id = หมายเลขกำหนดการ (คอลัมน์ ID ของ `rule list`)
help-rule-edit-title = หัวข้อใหม่
help-rule-edit-text = ข้อความใหม่
help-rule-edit-text-file = ไฟล์ UTF-8 ที่มีข้อความใหม่
help-rule-edit-link = ลิงก์ข้อมูลที่เกี่ยวข้อง ("" เพื่อลบลิงก์)
help-rule-edit-channels = ช่องทาง คั่นด้วยจุลภาค
help-rule-edit-recur = รอบเวลาใหม่: นิพจน์ cron ตามเวลากรุงเทพฯ ขึ้นต้นด้วยวินาที ("0 0 9 * * Mon")
help-rule-edit-allow-frequent = ใช้กับ --recur: ยอมรับรอบเวลาที่ประกาศถี่กว่าค่า rules.min_interval

## queue
help-queue = ดูและจัดการรายการเผยแพร่
help-queue-list = รายการเผยแพร่ พร้อมสถานะ กำหนดเวลา (เวลาไทย) ช่องทาง และข้อผิดพลาดล่าสุด
help-queue-list-state = เฉพาะรายการในสถานะนี้: queued = รอเผยแพร่, in_flight = กำลังเผยแพร่, published = เผยแพร่แล้ว, failed = ไม่สำเร็จ, needs_attention = รอเจ้าหน้าที่แก้ไข, cancelled = ยกเลิกแล้ว
help-queue-list-channel = เฉพาะรายการของช่องทางนี้
help-queue-list-limit = แสดงไม่เกินจำนวนนี้ เรียงจากใหม่ไปเก่า (ค่าเริ่มต้น 100)
help-queue-list-json = แสดงเป็น JSON บรรทัดละรายการ แทนตาราง
help-queue-list-all = แสดงทุกรายการ
help-queue-show = รายละเอียดรายการเผยแพร่หนึ่งรายการ: เวลาไทย ข้อความที่จะเผยแพร่ และประวัติ
help-queue-show-id = หมายเลขรายการเผยแพร่ (คอลัมน์ รหัส ในคำสั่ง queue list)
help-queue-show-json = แสดงเป็น JSON แทน (เวลา UTC)
help-queue-watch = ติดตามรายการเผยแพร่หนึ่งรายการจนเผยแพร่สำเร็จหรือต้องให้เจ้าหน้าที่แก้ไข พร้อมแถบความคืบหน้าขณะอัปโหลดวิดีโอ
help-queue-watch-id = หมายเลขรายการเผยแพร่ (คอลัมน์ รหัส ในคำสั่ง queue list)
help-queue-cancel = ยกเลิกรายการเผยแพร่ที่ยังไม่ได้เผยแพร่ หรือทุกรายการของประกาศหนึ่ง (--announcement)
help-queue-cancel-id = หมายเลขรายการเผยแพร่ (คอลัมน์ รหัส ในคำสั่ง queue list)
help-queue-cancel-announcement = ประกาศที่จะยกเลิกรายการเผยแพร่ที่ยังไม่ได้เผยแพร่ทั้งหมด (คอลัมน์ ประกาศ ของ `queue list`)
help-queue-pending = ประกาศที่รอการอนุมัติ (ส่งมาจากเจ้าหน้าที่หน่วยงาน)
help-queue-pending-limit = แสดงไม่เกินจำนวนนี้
help-queue-approve = อนุมัติประกาศที่รออยู่: เข้าคิวเผยแพร่ทางช่องทางที่ขอ ทันทีหรือตามเวลา --at
help-queue-approve-id = หมายเลขประกาศ (คอลัมน์ รหัส ในคำสั่ง queue pending)
help-queue-approve-at = เวลาเผยแพร่ ตามเวลากรุงเทพฯ: "ปปปป-ดด-วว ชช:นน" (ใช้ปี พ.ศ. ได้ ค่าเริ่มต้น: เวลาที่ขอไว้ หรือทันที)
help-queue-reject = ไม่อนุมัติประกาศที่รออยู่ ผู้ส่งจะได้รับแจ้งเหตุผล
help-queue-reject-id = หมายเลขประกาศ (คอลัมน์ รหัส ในคำสั่ง queue pending)
help-queue-reject-reason = เหตุผลที่ไม่อนุมัติ
help-queue-withdraw = ถอนประกาศที่รออยู่
help-queue-withdraw-id = หมายเลขประกาศ (คอลัมน์ รหัส ในคำสั่ง queue pending)
help-queue-retry = นำรายการที่ล้มเหลว พักไว้ หรือยกเลิก กลับเข้าคิว — ตามเวลาเดิมหากยังมาไม่ถึง มิฉะนั้นทันที ทีละรายการ หรือทั้งช่องทางในสถานะหนึ่ง (หลังแก้ token: `--channel line --state needs_attention`)
help-queue-retry-id = หมายเลขรายการเผยแพร่ (คอลัมน์ รหัส ในคำสั่ง queue list)
help-queue-retry-channel = ทุกรายการของช่องทางนี้ที่อยู่ในสถานะตาม --state
help-queue-retry-state = ใช้คู่กับ --channel: เลือกรายการตามสถานะ

## department
help-department = หน่วยงาน (สายงาน) ของสถานี
help-department-list = รายชื่อหน่วยงาน: รหัส ชื่อภาษาไทย ชื่อภาษาอังกฤษ
help-department-add = เพิ่มหน่วยงาน
help-department-add-code = รหัสสั้นที่ใช้ในคำสั่งและในที่อยู่เว็บ (a-z, 0-9, -)
help-department-add-th = ชื่อภาษาไทย เช่น งานจราจร
help-department-add-en = ชื่อภาษาอังกฤษ เช่น Traffic
help-people = ผู้ที่ส่งข่าวและอนุมัติได้: รหัสเชิญทางแชตและบัญชีเข้าสู่ระบบเว็บ
help-people-invite = สร้างรหัสเชิญใช้ครั้งเดียว ให้ผู้ได้รับเชิญเข้าร่วมผ่านบอตแชต
help-people-invite-department = หน่วยงานที่ผู้ได้รับเชิญส่งข่าวในนาม (เจ้าหน้าที่หน่วยงาน)
help-people-invite-role = department_staff (ค่าเริ่มต้น), pr_officer หรือ admin
help-people-invite-days = จำนวนวันที่รหัสใช้ได้
help-people-add = เพิ่มผู้ใช้ที่เข้าสู่ระบบเว็บด้วยรหัสผ่าน
help-people-add-name = ชื่อที่แสดงและบันทึกว่าเป็นผู้ดำเนินการ
help-people-add-login = ชื่อที่ใช้เข้าสู่ระบบ (ค่าเริ่มต้น: ชื่อ)
help-people-add-role = admin, pr_officer หรือ department_staff
help-people-add-department = หน่วยงานที่ผู้ใช้ส่งข่าวในนาม (เจ้าหน้าที่หน่วยงาน)
help-people-add-password-stdin = อ่านรหัสผ่านจากบรรทัดแรกของ stdin แทนการถาม
help-people-password = ตั้งรหัสผ่านใหม่ให้ชื่อเข้าสู่ระบบเว็บ (ทุกเซสชันของผู้นั้นสิ้นสุด)
help-people-password-login = ชื่อเข้าสู่ระบบที่จะเปลี่ยนรหัสผ่าน
help-people-password-password-stdin = อ่านรหัสผ่านจากบรรทัดแรกของ stdin แทนการถาม
help-people-token = สร้างโทเค็นสำหรับ JSON API (/api/v1) ที่ทำงานในนามชื่อผู้ใช้ระบบเว็บ แสดงครั้งเดียว
help-people-token-login = ชื่อผู้ใช้ระบบเว็บที่โทเค็นทำงานในนาม (ตามบทบาทของผู้นั้น)
help-people-token-label = โทเค็นนี้ใช้ทำอะไร (เช่น ระบบที่ใช้)

## channels
help-channels = ตรวจสอบช่องทางที่เปิดใช้งาน
help-channels-check = แสดงช่องทางละหนึ่งบรรทัด: ใช้งานได้หรือไม่ และยังขาดอะไร

## bench
help-bench = วัดความเร็วของระบบเผยแพร่ (สำหรับผู้ดูแลระบบ)
help-bench-dispatch = สร้างรายการเผยแพร่ N รายการที่ถึงกำหนดพร้อมกัน แล้วจับเวลาจนส่งหมด
help-bench-dispatch-deliveries = จำนวนรายการเผยแพร่ที่ถึงกำหนด ใส่หลายขนาดคั่นด้วยจุลภาค (1000,10000,50000,100000) เพื่อวัดทีละขนาดและแสดงเวลาต่อรายการของแต่ละขนาด
help-bench-dispatch-spread-ms = กระจายเวลาถึงกำหนดให้เท่าๆ กันในช่วงกี่มิลลิวินาที (0 = ถึงกำหนดพร้อมกันทั้งหมด)
help-bench-dispatch-channel = noop (วัดเฉพาะตัว prakat) หรือ outbox (เขียนไฟล์หนึ่งไฟล์ต่อหนึ่งรายการ)
help-bench-dispatch-batch-size = จำนวนรายการที่หยิบมาส่งต่อรอบ (เหมือน dispatch.batch_size)
help-bench-dispatch-concurrency = จำนวนการส่งที่ทำพร้อมกัน (เหมือน dispatch.concurrency)
help-bench-dispatch-durability = ระดับความทนทานของ SQLite: full (แบบที่ระบบใช้จริง), normal (ไฟดับอาจทำให้ข้อมูลล่าสุดหาย) หรือ compare (วัดทั้งสองแบบแล้วเทียบกัน)
help-bench-digest = สร้างรายงานประจำเดือน (ทุกไฟล์ รวม PDF) ของเดือนที่มีประกาศ N เรื่องในทุกช่องทางพร้อมยอดการเข้าถึง บนฐานข้อมูลชั่วคราว แล้วจับเวลาแต่ละขั้น
help-bench-digest-announcements = จำนวนประกาศที่เผยแพร่ในเดือน
help-bench-digest-channels = ช่องทางที่ประกาศแต่ละเรื่องเผยแพร่ (คั่นด้วยจุลภาค ชื่อเป็นชนิดของช่องทางด้วย)
help-bench-digest-samples = จำนวนครั้งที่เก็บยอดการเข้าถึงต่อรายการเผยแพร่ (1 ชั่วโมง 1 วัน 7 วัน 30 วัน แล้วทุก 30 วัน)
help-bench-digest-runs = จำนวนรอบที่สร้างและจับเวลาต่อกัน (เตรียมข้อมูลของเดือนครั้งเดียว)
help-bench-digest-out = เก็บไฟล์ของรอบสุดท้ายไว้ในโฟลเดอร์นี้ (เพื่อเปิดดู PDF)
help-bench-digest-trace = เขียนเวลาที่ typst ใช้ในการสร้าง PDF ของรอบแรกเป็นไฟล์ Chrome trace (JSON)
help-bench-desk = ทดสอบโหลดหน้าปฏิทินของเว็บเดสก์และรายการเผยแพร่ของ JSON API บนฐานข้อมูลที่มีประกาศ N เรื่อง ผ่านเครือข่ายภายในเครื่อง แล้วรายงานเวลาตอบ (p50/p90/p99) และจำนวนคำขอต่อวินาที
help-bench-desk-announcements = จำนวนประกาศในฐานข้อมูล แต่ละเรื่องมีรายการเผยแพร่ในสามช่องทาง
help-bench-desk-connections = จำนวนการเชื่อมต่อพร้อมกันของตัวสร้างโหลด
help-bench-desk-seconds = เวลาที่ทดสอบแต่ละหน้า เป็นวินาที (หลังอุ่นเครื่องหนึ่งวินาที)
help-bench-desk-load = auto (ใช้ wrk ถ้ามีในเครื่อง ไม่เช่นนั้นใช้ตัวในโปรแกรม), wrk หรือ builtin (ตัวสร้างโหลดในโปรแกรม)

## config
help-config = แสดงการตั้งค่าที่ใช้อยู่จริง (ซ่อนรหัสลับ)
help-config-show = แสดงการตั้งค่าที่ใช้อยู่จริงในรูปแบบ TOML โดยซ่อนรหัสลับ

## site
help-site = เว็บไซต์ในตัวของระบบ
help-site-rebuild = สร้างทุกหน้า หน้ารวม และฟีดของเว็บไซต์ใหม่ (หลังแก้ไขแม่แบบเว็บไซต์) ต้องหยุด prakat serve ก่อน เพราะเขียนไฟล์ชุดเดียวกัน

## reach
help-reach = ยอดการเข้าถึงของประกาศที่เผยแพร่แล้ว
help-reach-collect = เก็บยอดการเข้าถึงทุกรายการที่ถึงเวลาแล้ว (1 ชั่วโมง 1 วัน 7 วัน 30 วันหลังเผยแพร่ ตามที่ตั้งใน reach.after) พร้อมแถบแสดงความคืบหน้า
help-reach-collect-since = เฉพาะรายการที่เผยแพร่ตั้งแต่วันหรือเวลานี้ (เวลาไทย "YYYY-MM-DD" หรือ "YYYY-MM-DD HH:MM" ปีตั้งแต่ 2400 ขึ้นไปอ่านเป็น พ.ศ.)
help-reach-show = ยอดการเข้าถึงของประกาศหนึ่งรายการ: จำนวนการดู ผู้เข้าถึง การแสดงความรู้สึก ความคิดเห็น การแชร์ การคลิก และการเล่นวิดีโอ แยกตามช่องทางและรอบการเก็บ
help-reach-show-id = หมายเลขประกาศ (คอลัมน์ประกาศใน `queue list`)
help-announcement = แก้ไขหรือถอนประกาศที่อนุมัติแล้ว และติดตามการแก้ไขในแต่ละช่องทาง
help-announcement-edit = แก้ไขข้อความ (และหัวข้อ) ของประกาศที่อนุมัติแล้ว: ช่องทางที่ยังไม่เผยแพร่จะเผยแพร่ข้อความใหม่ หน้าเว็บไซต์จะเขียนใหม่พร้อม "แก้ไขเมื่อ …" โพสต์ Facebook, WordPress และ YouTube จะถูกแก้ไข ส่วน LINE และ TikTok จะแจ้งสิ่งที่ต้องทำเอง
help-announcement-edit-id = หมายเลขประกาศ (คอลัมน์ประกาศใน `queue list`)
help-announcement-edit-title = หัวข้อใหม่ (ค่าเริ่มต้น: บรรทัดแรกของข้อความ)
help-announcement-edit-text = ข้อความใหม่ทั้งหมด
help-announcement-edit-text-file = ไฟล์ UTF-8 ที่มีข้อความใหม่
help-announcement-edit-author = ผู้แก้ไข (ค่าเริ่มต้น: $USER)
help-announcement-retract = ถอนประกาศที่อนุมัติแล้ว: ยกเลิกช่องทางที่ยังไม่เผยแพร่ นำออกจากรายการและฟีดของเว็บไซต์ (หน้าประกาศเป็นข้อความแจ้งการถอน หรือถูกลบ) ลบโพสต์ใน Facebook, WordPress และ YouTube ส่วน LINE และ TikTok จะแจ้งสิ่งที่ต้องทำเอง
help-announcement-retract-id = หมายเลขประกาศ (คอลัมน์ประกาศใน `queue list`)
help-announcement-retract-reason = เหตุผลที่ถอน (แสดงในหน้าแจ้งการถอนบนเว็บไซต์ และบันทึกในประวัติการดำเนินการ)
help-announcement-retract-author = ผู้ถอนประกาศ (ค่าเริ่มต้น: $USER)
help-announcement-show = สถานะและครั้งที่แก้ไขของประกาศ พร้อมการแก้ไขในแต่ละช่องทาง
help-announcement-show-id = หมายเลขประกาศ (คอลัมน์ประกาศใน `queue list`)
help-announcement-show-wait = รอจนการแก้ไขทุกช่องทางเสร็จสิ้น (ต้องเปิดระบบไว้)

## digest
help-digest = สร้างรายงานผลการประชาสัมพันธ์ประจำเดือนแยกสายงาน (HTML สำหรับพิมพ์ PDF CSV XLSX JSON) ลงในโฟลเดอร์ ระบบจะเผยแพร่รายงานของเดือนก่อนบนเว็บไซต์เองทุกวันที่ 1 ของเดือน
help-digest-month = เดือนที่ต้องการ: "2569-11" (ปี พ.ศ.) หรือ "2026-11" ถ้าไม่ระบุคือเดือนที่แล้ว
help-digest-out = โฟลเดอร์ที่จะเขียนไฟล์ (สร้างให้ถ้ายังไม่มี) ถ้าไม่ระบุคือโฟลเดอร์ปัจจุบัน
