# การตั้งค่าที่ไม่ถูกต้อง: บอกไฟล์หรือตัวแปร คีย์ และบรรทัดเสมอ

settings-read = อ่านไฟล์ตั้งค่า { $path } ไม่ได้: { $reason }
# $quote: บรรทัดของไฟล์ที่ผิด พร้อมเครื่องหมายชี้ตำแหน่ง
settings-file = ไฟล์ตั้งค่า { $path } ไม่ถูกต้อง ที่บรรทัด { $line } คอลัมน์ { $column }: { $reason }{ $quote }
settings-file-no-line = ไฟล์ตั้งค่า { $path } ไม่ถูกต้อง: { $reason }{ $quote }
settings-syntax = เขียนไม่ถูกรูปแบบ TOML: { $detail }
settings-env = ค่าในตัวแปรแวดล้อม { $var } ไม่ถูกต้อง ({ $key }): { $reason }
settings-env-name = ชื่อตัวแปรแวดล้อม { $var } ไม่ถูกต้อง: มีส่วนของชื่อที่ว่างอยู่ (ขีดล่างคู่ __ ซ้ำกัน)
settings-invalid = การตั้งค่าไม่ถูกต้อง: { $detail }

## เหตุผล
settings-unknown-key = ไม่รู้จักการตั้งค่า `{ $key }` (ที่ใช้ได้ในส่วนนี้: { $known })
settings-unknown-key-none = ไม่รู้จักการตั้งค่า `{ $key }`: ส่วนนี้ไม่มีการตั้งค่าใดๆ
settings-unknown-value = ไม่รู้จักค่า `{ $value }` (ใช้ได้: { $known })
settings-missing-key = ขาดการตั้งค่า `{ $key }`
settings-wrong-type = ชนิดของค่าไม่ถูกต้อง: เป็น { $found } แต่ต้องเป็น { $wanted }
settings-wrong-value = ค่าไม่ถูกต้อง: เป็น { $found } แต่ต้องเป็น { $wanted }
settings-reason = { $detail }

## การตรวจสอบการตั้งค่า
settings-batch-zero = dispatch.batch_size และ dispatch.concurrency ต้องมีค่าอย่างน้อย 1
settings-attempts-zero = dispatch.max_attempts ต้องมีค่าอย่างน้อย 1
settings-reach-zero = reach.batch_size, reach.max_attempts และ reach.every ต้องมากกว่าศูนย์ (หากต้องการหยุดเก็บยอดการเข้าถึง ให้ตั้ง reach.enabled = false)
settings-lease-short = dispatch.lease ({ $lease }) ต้องนานกว่า dispatch.publish_timeout ({ $timeout }) มิฉะนั้นการเผยแพร่ที่ช้าอาจถูกหยิบไปทำซ้ำสองครั้ง
settings-channel-timeout = channels.{ $name }.publish_timeout ({ $timeout }) ต้องสั้นกว่า dispatch.lease ({ $lease }) มิฉะนั้นการเผยแพร่ที่ช้าอาจถูกหยิบไปทำซ้ำสองครั้ง
settings-public-url-missing = server.listen เป็น { $listen } (รับทุกที่อยู่ของเครื่องนี้) แต่ยังไม่ได้ตั้ง server.public_base_url: ลิงก์ของเว็บไซต์และลิงก์ที่ส่งไป LINE และ Facebook จะชี้ไปที่ http://{ $listen } ซึ่งประชาชนเปิดไม่ได้ กรุณาตั้ง server.public_base_url เป็นที่อยู่เว็บที่ประชาชนใช้ เช่น "https://ranong.police.go.th" (หรือ PRAKAT__SERVER__PUBLIC_BASE_URL)
settings-admin-same = server.admin_listen ({ $addr }) ต้องไม่ซ้ำกับ server.listen: ช่องทางผู้ดูแลระบบต้องแยกจากช่องทางสาธารณะ
settings-public-url-scheme = server.public_base_url ต้องขึ้นต้นด้วย http:// หรือ https:// (ขณะนี้เป็น { $url })
settings-default-channel = post.default_channels ระบุช่องทาง { $channel } ซึ่งไม่ได้เปิดใช้งาน
settings-one-website = channels.{ $name }: เว็บไซต์มีได้เพียงหนึ่งเดียว คือส่วน [channels.website]
settings-telegram-summary-time = telegram.daily_summary_at ต้องเป็นเวลาแบบ HH:MM (เวลาไทย) เช่น "08:30" หรือเว้นว่างถ้าไม่ต้องการสรุปรายวัน (ขณะนี้เป็น { $value })
settings-telegram-api-url = telegram.api_url ต้องขึ้นต้นด้วย http:// หรือ https:// (ขณะนี้เป็น { $url })
settings-telegram-webhook-https = telegram.mode = "webhook" ต้องตั้ง server.public_base_url ให้ขึ้นต้นด้วย https:// (Telegram เรียก webhook ผ่าน https เท่านั้น) ถ้าอยู่หลัง NAT ให้ใช้ mode = "polling"
