# What the Telegram bot says. Messages are HTML (Telegram's parse mode); every variable that
# holds text a person wrote is escaped before it is put in.

tg-group = สวัสดีครับ บอทนี้รับเรื่องทางแชทส่วนตัวเท่านั้น ขอออกจากกลุ่มนี้นะครับ ให้สมาชิกแต่ละคนลงทะเบียนกับบอทในแชทส่วนตัวด้วยรหัสเชิญจากเจ้าหน้าที่ประชาสัมพันธ์
tg-stranger = สวัสดีครับ ท่านยังไม่ได้ลงทะเบียนกับระบบประกาศของสถานี จึงยังรับเรื่องจากท่านไม่ได้ หากท่านเป็นเจ้าหน้าที่ของสถานี โปรดขอรหัสเชิญจากเจ้าหน้าที่ประชาสัมพันธ์ แล้วส่ง /start ตามด้วยรหัส เช่น <code>/start ABCD234567</code>
tg-role = { $role ->
    [admin] ผู้ดูแลระบบ
    [pr_officer] เจ้าหน้าที่ประชาสัมพันธ์
   *[other] เจ้าหน้าที่สายงาน
}
tg-joined = ลงทะเบียนเรียบร้อย ยินดีต้อนรับคุณ { $name } ({ $role }, สายงาน { $department })
    ส่งผลงานได้เลย: ข้อความ รูปภาพ (หลายรูปได้) วิดีโอ หรือเอกสาร ระบบจะรวมเป็นเรื่องเดียวแล้วส่งให้ประชาสัมพันธ์อนุมัติ
    พิมพ์ /help เพื่อดูคำสั่ง
tg-help-staff = สวัสดีคุณ { $name } (สายงาน { $department })
    • ส่งข้อความ รูปภาพ วิดีโอ หรือเอกสาร ระบบจะรวมเป็นเรื่องเดียวเมื่อท่านหยุดส่งครู่หนึ่ง
    • /send ส่งเรื่องที่รวบรวมไว้ทันที
    • /cancel ยกเลิกสิ่งที่ยังไม่ได้ส่ง หรือถอนเรื่องล่าสุดที่ยังรออนุมัติ (/cancel 12 สำหรับเรื่องที่ 12)
    • /status ดูสถานะเรื่องของท่าน
tg-help-officer = สวัสดีคุณ { $name } (ประชาสัมพันธ์)
    • เรื่องใหม่จากสายงานจะส่งมาพร้อมปุ่ม อนุมัติ / เลือกเวลา / แก้ไข / ไม่อนุมัติ
    • /pending ดูเรื่องที่รออนุมัติทั้งหมด
    • /retract 12 เหตุผล ถอนประกาศที่ 12 ที่อนุมัติแล้ว (ออกจากเว็บไซต์และลบโพสต์ที่ลบได้)
    • /cancel ยกเลิกคำถามที่บอทรอคำตอบ
    • ท่านจะได้รับแจ้งเมื่อเผยแพร่แล้วพร้อมลิงก์ และเมื่อช่องทางใดต้องการให้ดำเนินการ
tg-unknown-command = ไม่รู้จักคำสั่งนี้ พิมพ์ /help เพื่อดูคำสั่งที่ใช้ได้
tg-unsupported = ขออภัย ระบบรับได้เฉพาะข้อความ รูปภาพ วิดีโอ และเอกสาร (สติกเกอร์ ข้อความเสียง ตำแหน่งที่ตั้ง และอื่น ๆ ใช้ประกาศไม่ได้)
tg-file-too-big = ไฟล์นี้มีขนาด { $size } ซึ่งเกินกว่าที่บอทดาวน์โหลดได้ ({ $limit }) โปรดส่งไฟล์ที่เล็กกว่านี้ (เช่น วิดีโอที่ย่อขนาดแล้ว) หรือส่งให้เจ้าหน้าที่ประชาสัมพันธ์ทางอื่นเพื่ออัปโหลดด้วยคำสั่ง prakat post
tg-file-failed = ดาวน์โหลดไฟล์นี้จาก Telegram ไม่สำเร็จ โปรดส่งใหม่อีกครั้ง
tg-gathering = ได้รับแล้ว ส่งเพิ่มได้อีก (รูป ข้อความ) ระบบจะรวมเป็นเรื่องเดียวเมื่อท่านหยุดส่ง { $seconds } วินาที หรือพิมพ์ /send เพื่อส่งทันที
tg-nothing-to-send = ยังไม่มีอะไรให้ส่ง ส่งข้อความหรือรูปภาพก่อน แล้วพิมพ์ /send
tg-needs-text = ได้รับไฟล์แล้ว แต่ยังไม่มีข้อความประกอบ โปรดพิมพ์ข้อความบรรยายเรื่องนี้ (ข้อความบรรทัดแรกจะเป็นหัวข้อ)
tg-refused = ส่งเรื่องนี้ไม่ได้: { $reason }
    สิ่งที่ส่งมาถูกยกเลิกแล้ว โปรดแก้ไขแล้วส่งใหม่
tg-submitted = รับเรื่องที่ { $id } แล้ว: <b>{ $title }</b>
    รอเจ้าหน้าที่ประชาสัมพันธ์อนุมัติ (พิมพ์ /cancel เพื่อถอนเรื่อง)
tg-queued = จัดคิวเรื่องที่ { $id } แล้ว: <b>{ $title }</b> เผยแพร่ { $at }
tg-preview-channels = จะเผยแพร่ที่: { $channels }
tg-preview-note = • { $channel }: { $note }
tg-preview-skipped = • { $channel }: ไม่เผยแพร่ ({ $reason })
tg-question-dropped = ยกเลิกคำถามที่รอคำตอบแล้ว
tg-discarded = ยกเลิกสิ่งที่ยังไม่ได้ส่ง { $count } รายการแล้ว
tg-nothing-to-cancel = ไม่มีเรื่องที่รออนุมัติให้ถอน
tg-withdrawn = ถอนเรื่องที่ { $id } แล้ว: { $title }
tg-status-none = ท่านยังไม่ได้ส่งเรื่องทางแชท
tg-status-head = เรื่องล่าสุดของท่าน:
tg-status-line = #{ $id } { $title } — { $state }
tg-state = { $state ->
    [pending_approval] รออนุมัติ
    [approved] อนุมัติแล้ว
    [rejected] ไม่อนุมัติ
    [withdrawn] ถอนแล้ว
    [retracted] ถอนประกาศแล้ว
   *[other] { $state }
}
tg-pending-none = ไม่มีเรื่องรออนุมัติ
tg-summary = สรุปประจำวัน: มี { $count } เรื่องรออนุมัติ (พิมพ์ /pending เพื่อดูพร้อมปุ่ม)
tg-summary-line = • #{ $id } [{ $department }] { $title } (ส่งเมื่อ { $since })
tg-card = 📝 เรื่องที่ { $id } รออนุมัติ — { $department }
    ส่งโดย { $by }
    <b>{ $title }</b>
    { $body }
    ช่องทาง: { $channels } · ไฟล์แนบ { $media } รายการ
tg-btn-approve = ✅ อนุมัติ
tg-btn-time = 🕘 เลือกเวลา
tg-btn-edit = ✏️ แก้ไข
tg-btn-reject = ❌ ไม่อนุมัติ
tg-button-unknown = ไม่พบรายการนี้ (ข้อความเก่าหรือถูกลบแล้ว)
tg-not-allowed = ท่านไม่มีสิทธิ์อนุมัติ
tg-approved-done = อนุมัติเรื่องที่ { $id } แล้ว เผยแพร่ { $at }
tg-rejected-done = แจ้งไม่อนุมัติเรื่องที่ { $id } แล้ว ผู้ส่งจะได้รับเหตุผล
tg-edited-done = แก้ไขเรื่องที่ { $id } แล้ว: { $title }
tg-ask-time = เรื่องที่ { $id }: จะให้เผยแพร่เมื่อไร? พิมพ์วันเวลา เช่น <code>1/12/2569 09.00</code> (เวลาไทย) หรือ /cancel
tg-ask-edit = เรื่องที่ { $id }: พิมพ์ข้อความใหม่ทั้งหมด (บรรทัดแรกเป็นหัวข้อ) หรือ /cancel
tg-ask-reason = เรื่องที่ { $id }: พิมพ์เหตุผลที่ไม่อนุมัติ (ผู้ส่งจะได้รับ) หรือ /cancel
tg-decided-approved = ✅ อนุมัติโดย { $by } เผยแพร่ { $at }
tg-decided-rejected = ❌ ไม่อนุมัติโดย { $by }: { $reason }
tg-decided-withdrawn = ↩️ ถอนโดย { $by }
tg-you-approved = ✅ เรื่องที่ { $id } ({ $title }) อนุมัติแล้ว จะเผยแพร่ { $at }
tg-you-rejected = ❌ เรื่องที่ { $id } ({ $title }) ไม่ได้รับอนุมัติ
    เหตุผล: { $reason }
tg-you-withdrawn = ↩️ เรื่องที่ { $id } ({ $title }) ถูกถอนโดย { $by }
tg-parked = ⚠️ เรื่องที่ { $id } ({ $title }) ยังไม่ได้เผยแพร่ทาง { $channel }
    สาเหตุ: { $error }
    { $todo }
tg-todo-auth = สิ่งที่ต้องทำ: ต่ออายุหรือแก้โทเคนของช่องทาง { $channel } ในไฟล์ตั้งค่า เริ่ม prakat ใหม่ แล้วสั่ง <code>prakat queue retry { $id }</code>
tg-todo-retry = สิ่งที่ต้องทำ: ตรวจสอบสาเหตุ แล้วสั่ง <code>prakat queue retry { $id }</code> หรือยกเลิกด้วย <code>prakat queue cancel { $id }</code>
tg-published = 📣 เผยแพร่เรื่องที่ { $id } แล้ว: <b>{ $title }</b>
tg-published-link = • { $channel }: { $url }
tg-published-nolink = • { $channel }: เผยแพร่แล้ว
tg-published-not = • { $channel }: { $state }
tg-delivery-state = { $state ->
    [needs_attention] รอเจ้าหน้าที่ดำเนินการ
    [failed] ไม่สำเร็จ
    [cancelled] ยกเลิกแล้ว
   *[other] { $state }
}
intake-no-department = ท่านไม่ได้สังกัดสายงานใด จึงส่งเรื่องทางแชทไม่ได้ (เจ้าหน้าที่ประชาสัมพันธ์ประกาศเองด้วย prakat post)
tg-token-expiring = ⏳ โทเคนของช่องทาง { $channel } จะหมดอายุ { $at } โปรดต่ออายุก่อนหมด (ขั้นตอนอยู่ใน README หัวข้อ Platform channels) มิฉะนั้นการเผยแพร่ทางช่องทางนี้จะหยุด
tg-token-expired = ⛔ โทเคนของช่องทาง { $channel } หมดอายุแล้วเมื่อ { $at } การเผยแพร่ทางช่องทางนี้หยุดอยู่ โปรดออกโทเคนใหม่ ใส่ในไฟล์ตั้งค่า แล้วเริ่ม prakat ใหม่
tg-missing-permissions = ⚠️ ช่องทาง { $channel } ขาดสิทธิ์: { $permissions } โปรดให้สิทธิ์เหล่านี้แก่แอปในหน้าตั้งค่าของแพลตฟอร์ม
tg-channel-unhealthy = ⚠️ ตรวจสอบช่องทาง { $channel } ไม่ผ่าน: { $error } โปรดตรวจโทเคนและการตั้งค่า แล้วสั่ง prakat channels check
tg-rule-paused = ⏸️ หยุดประกาศตามกำหนดที่ { $id } ({ $title }) ไว้แล้ว เพราะการเผยแพร่ทาง { $channel } ไม่สำเร็จ { $failures } ครั้งติดกัน โปรดแก้สาเหตุ แล้วสั่ง <code>prakat rule resume { $id }</code>
tg-correction-left = ✏️ ประกาศ { $id } ({ $title }): { $what }
tg-retract-usage = การถอนประกาศ: /retract หมายเลข เหตุผล เช่น <code>/retract 12 ชื่อผู้ต้องหาไม่ถูกต้อง</code>
tg-retracted = ↩️ ถอนประกาศที่ { $id } ({ $title }) แล้ว:
tg-retract-not-out = { $channel }: ยังไม่ได้เผยแพร่ ยกเลิกแล้ว
tg-digest-ready = 📊 รายงานผลการประชาสัมพันธ์ประจำเดือน { $month } พร้อมแล้ว มีประกาศ { $announcements } เรื่อง แนบไฟล์ PDF มาเพื่อพิมพ์และเสนอลงนาม{ $url ->
    [none] {""}
   *[other] {" "}ดูบนเว็บไซต์: { $url }
}
