# สิ่งที่คำสั่งแสดงทาง stdout: ตาราง ข้อความแจ้งผล ความคืบหน้า

## queue list
queue-col-id = รหัส
queue-col-announcement = ประกาศ
queue-col-state = สถานะ
queue-col-channel = ช่องทาง
queue-col-due = กำหนดเวลา (ไทย)
queue-col-attempts = ครั้ง
queue-col-department = หน่วยงาน
queue-col-title = หัวข้อ / ข้อผิดพลาดล่าสุด

# สถานะของรายการเผยแพร่
delivery-state = { $state ->
        [queued] รอเผยแพร่
        [in_flight] กำลังเผยแพร่
        [published] เผยแพร่แล้ว
        [failed] ไม่สำเร็จ
        [needs_attention] รอเจ้าหน้าที่แก้ไข
        [cancelled] ยกเลิกแล้ว
       *[other] { $state }
    }

## queue cancel / retry
queue-cancelled = ยกเลิกรายการเผยแพร่หมายเลข { $id } ทาง { $channel } แล้ว
queue-retried = นำรายการเผยแพร่หมายเลข { $id } ทาง { $channel } กลับเข้าคิวแล้ว
queue-retried-many = นำรายการเผยแพร่ทาง { $channel } จำนวน { $count } รายการ กลับเข้าคิวแล้ว

## queue watch
watch-eta = เหลือ
watch-state = รายการเผยแพร่หมายเลข { $id } ทาง { $channel }: { $state }
watch-no-link = (แพลตฟอร์มไม่ได้ส่งลิงก์กลับมา)
watch-published = เผยแพร่แล้ว: { $link }
watch-waiting = รอถึงเวลา { $at } (เวลาไทย)
watch-publishing = กำลังเผยแพร่ทาง { $channel }

## department, site, channels
department-added = เพิ่มหน่วยงาน { $code } แล้ว
site-rebuilt = สร้างเว็บไซต์ใหม่แล้ว { $pages } หน้า พร้อมหน้ารวมและฟีดทั้งหมด ที่ { $dir }
channels-ok = ใช้งานได้
channels-fail = ใช้ไม่ได้

post-delivery = { $channel } (รายการเผยแพร่ { $id })
post-queued = ประกาศ { $id } เข้าคิวเผยแพร่ทาง { $deliveries } เมื่อ { $at }
post-pending = ประกาศ { $id } รอการอนุมัติ
post-rule-created = สร้างกำหนดการประกาศซ้ำ { $id } แล้ว: { $cron } ครั้งแรก { $at }
post-skipped = {"  "}{ $channel }: ไม่ส่ง — { $reason }
pending-col-sent = ส่งเมื่อ
pending-col-from = ผู้ส่ง
pending-col-title = หัวเรื่อง
approve-done = อนุมัติประกาศ { $id } แล้ว: { $deliveries } เมื่อ { $at }
reject-done = ไม่อนุมัติประกาศ { $id }: { $reason }
withdraw-done = ถอนประกาศ { $id } แล้ว
people-invited = รหัสเชิญ { $code } ({ $role } หน่วยงาน { $department }) ใช้ได้ครั้งเดียว ถึง { $until } ให้ผู้ได้รับเชิญส่ง /start { $code } ถึงบอตของสถานี
people-bad-role = ไม่มีบทบาท { $role } (ใช้ได้: department_staff, pr_officer หรือ admin)
people-invite-link = หรือเปิดลิงก์ { $link } บนโทรศัพท์ที่มี Telegram

## reach
reach-progress = { $channel } (รายการเผยแพร่หมายเลข { $id })
reach-collected = ยอดการเข้าถึง: บันทึกแล้ว { $stored } รายการ ไม่สำเร็จ { $failed } รายการ (จะลองใหม่ภายหลัง) รอแพลตฟอร์ม { $waiting } รายการ
reach-failed-line = {"  "}{ $channel } (รายการเผยแพร่หมายเลข { $id }, รอบ { $slot }): { $error }
reach-show-title = ประกาศหมายเลข { $id }: { $title }
reach-show-none = ยังไม่มียอดการเข้าถึง
reach-show-waiting = {"  "}{ $channel } รอบ { $slot }: ไม่สำเร็จ { $attempts } ครั้ง จะลองใหม่เวลา { $at } (เวลาไทย): { $error }
reach-col-slot = รอบ
reach-col-taken = เวลาที่เก็บ (ไทย)
reach-col-views = การดู
reach-col-reach = เข้าถึง
reach-col-reactions = ความรู้สึก
reach-col-comments = ความเห็น
reach-col-shares = แชร์
reach-col-clicks = คลิก
reach-col-video = วิดีโอ

## rule
rule-next = ครั้งต่อไป:
rule-none = ยังไม่มีกำหนดการประกาศซ้ำ (สร้างด้วย prakat post --recur "0 0 9 * * Mon" …)
rule-col-state = สถานะ
rule-col-schedule = กำหนดการ
rule-col-next = ครั้งต่อไป
rule-state = { $state ->
        [active] ใช้งาน
        [failing] หยุดชั่วคราว (ส่งไม่สำเร็จซ้ำ)
       *[paused] หยุดชั่วคราว
    }
rule-show = กำหนดการ { $id }: { $state } รอบเวลา { $cron } (เวลากรุงเทพฯ)
    หน่วยงาน: { $department }; ช่องทาง: { $channels }; โดย { $author }
    ลิงก์: { $link }
    หัวข้อ: { $title }
rule-trail = ประวัติ:
rule-paused = หยุดกำหนดการ { $id } ชั่วคราวแล้ว: จะไม่ประกาศจนกว่าจะสั่ง `prakat rule resume { $id }`
rule-resumed = กำหนดการ { $id } กลับมาใช้งานแล้ว
rule-deleted = ลบกำหนดการ { $id } ({ $title }) แล้ว: จะไม่ประกาศอีก
rule-edited = แก้ไขกำหนดการ { $id } แล้ว รอบเวลา { $cron }

## queue, more
queue-more = … ยังมีรายการเผยแพร่ที่เก่ากว่าอีก { $more } รายการที่ไม่ได้แสดง: ดูเพิ่มด้วย --limit { $next } หรือดูทั้งหมดด้วย --all
queue-cancel-left = รายการเผยแพร่หมายเลข { $id } ทาง { $channel } อยู่ในสถานะ { $state }: ไม่ได้ยกเลิก
queue-cancelled-announcement = ประกาศ { $id }: ยกเลิกรายการเผยแพร่ { $count } รายการแล้ว
queue-show-head = รายการเผยแพร่หมายเลข { $id } ทาง { $channel }: { $state }
    ประกาศ { $announcement } ({ $department }): { $title }
queue-show-times = กำหนดเวลา { $due }; พยายามครั้งต่อไป { $next }; พยายามแล้ว { $attempts } ครั้ง
queue-show-published = เผยแพร่เมื่อ { $at }: { $link }
queue-show-error = ข้อผิดพลาดล่าสุด: { $error }
queue-show-text = ข้อความ:
queue-show-link = ลิงก์: { $link }
queue-show-media = สื่อ: { $name } ({ $kind }, { $size })
queue-show-trail = ประวัติของรายการเผยแพร่:
queue-show-announcement-trail = ประวัติของประกาศ:

## prakat announcement
announcement-edited = แก้ไขประกาศ { $id } แล้ว (ครั้งที่ { $revision }):
announcement-retracted = ถอนประกาศ { $id } แล้ว:
announcement-in-place = { $channel }: ยังไม่ได้เผยแพร่ เปลี่ยนข้อความก่อนเผยแพร่แล้ว
announcement-follow = ระบบจะดำเนินการแก้ไขในแต่ละช่องทาง ติดตามได้ด้วยคำสั่ง: prakat announcement show { $id } --wait
announcement-show-head = ประกาศ { $id } "{ $title }": { $state ->
        [approved] อนุมัติแล้ว
        [retracted] ถอนแล้ว
        [pending_approval] รออนุมัติ
        [rejected] ไม่อนุมัติ
        [withdrawn] ถอนคำขอแล้ว
       *[other] { $state }
    } แก้ไขครั้งที่ { $revision }
announcement-show-edited = แก้ไขเมื่อ { $at }
announcement-show-retracted = ถอนเมื่อ { $at }: { $reason }
## digest
digest-step = { $step ->
    [gather] อ่านข้อมูลของเดือน
    [html] HTML
    [csv] CSV
    [xlsx] XLSX
    [pdf] PDF
   *[json] JSON
}
digest-built = รายงานประจำเดือน { $month }: ประกาศ { $announcements } เรื่อง เขียนไฟล์ไว้ที่ { $dir }:
