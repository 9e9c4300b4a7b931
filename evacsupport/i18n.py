"""Messages and labels in Japanese (the default) and English, for code that has no Qt.

Services, importers and the CLI must speak the user's language without importing Qt, so their
texts live in this catalog; widgets translate their own texts through Qt's translation files.
Each entry is ``key: (japanese, english)``; ``{name}`` placeholders are filled by ``message``.
"""

from __future__ import annotations

from typing import Any

LANGUAGES = ("ja", "en")
_current = "ja"

CATALOG: dict[str, tuple[str, str]] = {
    # generic
    "validation.failed": ("入力内容に{count}件の誤りがあります", "{count} fields need fixing"),
    "value.required": ("入力してください", "This is required"),
    "value.too_long": ("{max}文字以内で入力してください", "Use at most {max} characters"),
    "value.choice": ("「{value}」は選択肢にありません", "“{value}” is not one of the choices"),
    "value.integer": ("整数で入力してください", "Enter a whole number"),
    "value.range": (
        "{min}から{max}までの数を入力してください",
        "Enter a number from {min} to {max}",
    ),
    # dates
    "date.invalid": (
        "日付を読み取れません（例：2024-01-01、令和6年1月1日、R6.1.1）",
        "Cannot read this date (e.g. 2024-01-01, 令和6年1月1日, R6.1.1)",
    ),
    "date.era_range": (
        "{era}{year}年{month}月{day}日は{era}の期間外です",
        "{era} {year}/{month}/{day} lies outside the {era} era",
    ),
    "date.future": ("未来の日付は入力できません", "The date cannot be in the future"),
    "date.too_old": ("{min}以降の日付を入力してください", "Enter a date from {min} on"),
    "date.order": (
        "終了日は開始日より後にしてください",
        "The end date must be after the start date",
    ),
    # names
    "kana.invalid": (
        "フリガナはカタカナかひらがなで入力してください",
        "Enter furigana in katakana or hiragana",
    ),
    "name.control": (
        "見えない制御文字（{char}：タブ・改行など）が入っています。"
        "その文字を消して入力し直してください",
        "Contains an invisible control character ({char}, such as a tab or line break); "
        "delete it and type the name again",
    ),
    # phone and postal code
    "phone.invalid": (
        "電話番号の形式が正しくありません（固定電話は市外局番から10桁、携帯は11桁）",
        "Not a valid phone number (landline: 10 digits with the area code; mobile: 11 digits)",
    ),
    "postal.invalid": (
        "郵便番号は7桁の数字で入力してください（例：920-0961）",
        "Enter the postal code as 7 digits (e.g. 920-0961)",
    ),
    "municipality.unknown": (
        "市区町村コード「{code}」は登録されていません",
        "Municipality code “{code}” is not known",
    ),
    "municipality.check_digit": (
        "市区町村コード「{code}」の検査数字が正しくありません",
        "Municipality code “{code}” has a wrong check digit",
    ),
    # allergen names for display (domain/allergens.display): the data file's name is the key
    "allergen.name.えび": ("えび", "Shrimp"),
    "allergen.name.かに": ("かに", "Crab"),
    "allergen.name.くるみ": ("くるみ", "Walnut"),
    "allergen.name.小麦": ("小麦", "Wheat"),
    "allergen.name.そば": ("そば", "Buckwheat"),
    "allergen.name.卵": ("卵", "Egg"),
    "allergen.name.乳": ("乳", "Milk"),
    "allergen.name.落花生": ("落花生", "Peanut"),
    "allergen.name.アーモンド": ("アーモンド", "Almond"),
    "allergen.name.あわび": ("あわび", "Abalone"),
    "allergen.name.いか": ("いか", "Squid"),
    "allergen.name.いくら": ("いくら", "Salmon roe"),
    "allergen.name.オレンジ": ("オレンジ", "Orange"),
    "allergen.name.カシューナッツ": ("カシューナッツ", "Cashew nut"),
    "allergen.name.キウイフルーツ": ("キウイフルーツ", "Kiwi fruit"),
    "allergen.name.牛肉": ("牛肉", "Beef"),
    "allergen.name.ごま": ("ごま", "Sesame"),
    "allergen.name.さけ": ("さけ", "Salmon"),
    "allergen.name.さば": ("さば", "Mackerel"),
    "allergen.name.大豆": ("大豆", "Soybean"),
    "allergen.name.鶏肉": ("鶏肉", "Chicken"),
    "allergen.name.バナナ": ("バナナ", "Banana"),
    "allergen.name.豚肉": ("豚肉", "Pork"),
    "allergen.name.マカダミアナッツ": ("マカダミアナッツ", "Macadamia nut"),
    "allergen.name.もも": ("もも", "Peach"),
    "allergen.name.やまいも": ("やまいも", "Yam"),
    "allergen.name.りんご": ("りんご", "Apple"),
    "allergen.name.ゼラチン": ("ゼラチン", "Gelatin"),
    "allergen.unknown": (
        "「{value}」はアレルゲン一覧にありません",
        "“{value}” is not on the allergen list",
    ),
    "coordinates.invalid": (
        "緯度経度を読み取れません（例：36.5613, 136.6562 または地図のリンク）",
        "Cannot read coordinates (e.g. 36.5613, 136.6562 or a map link)",
    ),
    "coordinates.range": (
        "緯度は-90〜90、経度は-180〜180の範囲で入力してください",
        "Latitude must be -90 to 90 and longitude -180 to 180",
    ),
    "coordinates.pair": (
        "緯度と経度は両方入力してください",
        "Enter both latitude and longitude",
    ),
    "time.invalid": ("時刻は 10:00 の形で入力してください", "Enter a time like 10:00"),
    "schedule.invalid": (
        "開催日時を読み取れません（例：水 17:00-19:00）",
        "Cannot read the schedule (e.g. Wed 17:00-19:00)",
    ),
    "instrument.answer": (
        "{instrument}の{item}番目の回答は{min}〜{max}で入力してください",
        "{instrument} item {item} must be {min} to {max}",
    ),
    "instrument.count": (
        "{instrument}は{count}問すべてに回答してください",
        "{instrument} needs answers to all {count} items",
    ),
    # households and members
    "household.no_members": (
        "世帯員を1人以上登録してください",
        "Register at least one household member",
    ),
    "household.head_count": (
        "世帯主を1人だけ指定してください",
        "Mark exactly one member as head of household",
    ),
    "household.case_number_taken": (
        "世帯番号「{value}」はすでに使われています",
        "Case number “{value}” is already in use",
    ),
    "household.case_number_format": (
        "世帯番号は「N24-000123」の形で入力してください",
        "Enter the case number like N24-000123",
    ),
    "household.not_found": ("世帯「{value}」が見つかりません", "Household “{value}” not found"),
    "household.changed_elsewhere": (
        "この世帯は{at}に他の画面または利用者が変更しました。読み込み直してください",
        "This household was changed elsewhere at {at}; reload it",
    ),
    "household.changed_by": (
        "この世帯は{at}に{who}さんが変更しました。読み込み直してください",
        "This household was changed by {who} at {at}; reload it",
    ),
    "household.changed_meanwhile": (
        "保存中に他の画面または利用者がこの世帯を変更しました。読み込み直してください",
        "Someone changed this household while it was being saved; reload it",
    ),
    "venue.not_found": ("会場「{value}」が見つかりません", "Venue “{value}” not found"),
    "venue.name_taken": (
        "会場名「{value}」はすでに登録されています",
        "A venue named “{value}” already exists",
    ),
    "venue.changed_elsewhere": (
        "この会場は他の画面または利用者が変更しました。読み込み直してください",
        "This venue was changed elsewhere; reload it",
    ),
    "email.invalid": ("メールアドレスの形式が正しくありません", "Not a valid e-mail address"),
    "venue.capacity": (
        "定員は1〜{max}人で入力してください",
        "Capacity must be 1 to {max} people",
    ),
    "consent.proxy_needed": (
        "代理人の氏名と続柄を入力してください",
        "Enter the proxy's name and relation",
    ),
    "consent.no_purpose": (
        "利用目的を1つ以上選んでください",
        "Choose at least one purpose",
    ),
    "consent.not_found": ("同意記録が見つかりません", "Consent record not found"),
    "consent.already_withdrawn": (
        "この同意はすでに撤回されています",
        "This consent has already been withdrawn",
    ),
    "event.not_found": ("災害「{value}」が見つかりません", "Disaster event “{value}” not found"),
    "duplicate.person": (
        "同じフリガナと生年月日の人がすでに登録されています：{matches}",
        "A person with the same furigana and birth date is already registered: {matches}",
    ),
    # storage
    "db.locked": (
        "データベースが他のプログラムで使用中です。しばらくしてからやり直してください",
        "The database is busy in another program; try again shortly",
    ),
    "db.damaged": (
        "データベースファイルが壊れています：{path}",
        "The database file is damaged: {path}",
    ),
    "db.key_needed": (
        "このデータベースは暗号化されています。鍵（パスフレーズ）を入力してください"
        "（スクリプトでは EVACSUPPORT_DB_KEY に設定）：{path}",
        "This database is encrypted; enter its key (passphrase), or set EVACSUPPORT_DB_KEY in "
        "scripts: {path}",
    ),
    "db.wrong_key": (
        "鍵（パスフレーズ）が違います。このデータベースの鍵を入力してください：{path}",
        "Wrong key (passphrase); enter this database's key: {path}",
    ),
    "db.passphrase_short": (
        "鍵（パスフレーズ）は{count}文字以上にしてください",
        "The key (passphrase) must be at least {count} characters",
    ),
    "db.passphrase_mismatch": (
        "確認のために入力した鍵（パスフレーズ）が一致しません",
        "The two keys (passphrases) you typed do not match",
    ),
    "db.already_encrypted": (
        "このデータベースはすでに暗号化されています：{path}",
        "This database is already encrypted: {path}",
    ),
    "db.key_needed_new": (
        "新しい鍵（パスフレーズ）を {var} に設定するか、端末から実行してください",
        "Set the new key (passphrase) in {var}, or run this at a terminal",
    ),
    "db.exists_plain": (
        "このファイルには暗号化されていないデータベースがあります。"
        "暗号化するには evacsupport encrypt を使ってください：{path}",
        "This file holds a database that is not encrypted; use evacsupport encrypt to "
        "encrypt it: {path}",
    ),
    "db.not_encrypted": (
        "このデータベースは暗号化されていません（先に encrypt で暗号化してください）：{path}",
        "This database is not encrypted (encrypt it first with encrypt): {path}",
    ),
    "db.too_new": (
        "このデータベースは新しい版のevacsupportで作られています（版 {revision}）。"
        "アプリを更新してください",
        "This database was made by a newer evacsupport (revision {revision}); update the app",
    ),
    "db.damaged_unnamed": (
        "データベースファイルが壊れています",
        "The database file is damaged",
    ),
    "db.cannot_open": (
        "データベースを開けません：{path}。ファイルの場所と読み書きの権限を確かめてください",
        "Cannot open the database {path}; check where it is and that you may read and write it",
    ),
    "db.cannot_open_unnamed": (
        "データベースを開けません。ファイルの場所と読み書きの権限を確かめてください",
        "Cannot open the database; check where it is and that you may read and write it",
    ),
    "db.disk_full": ("ディスクの空きがありません", "The disk is full"),
    "db.read_only": (
        "データベースに書き込めません（読み取り専用のファイルかフォルダです）。保存していません",
        "The database cannot be written (a read-only file or folder); nothing was saved",
    ),
    "db.io_error": (
        "データベースファイルを読み書きできません。ディスクやUSBメモリの接続を確かめてください",
        "The database file cannot be read or written; check the disk or USB stick",
    ),
    "db.unreachable": (
        "データベースのサーバーにつながりません。ネットワークを確かめてからやり直してください",
        "Cannot reach the database server; check the network and try again",
    ),
    "error.unexpected": (
        "予期しないエラーが起きました。詳しい内容はログファイル {path} に書き込みました",
        "An unexpected error occurred; the details were written to the log file at {path}",
    ),
    "error.unexpected_no_log": (
        "予期しないエラーが起きました（ログファイルに書き込めませんでした）",
        "An unexpected error occurred (the log file could not be written)",
    ),
    "file.failed": (
        "ファイル「{path}」を読み書きできません：{reason}",
        "Cannot read or write the file “{path}”: {reason}",
    ),
    "file.failed_unnamed": (
        "ファイルを読み書きできません：{reason}",
        "Cannot read or write a file: {reason}",
    ),
    "file.no_space": ("ディスクの空きがありません", "the disk is full"),
    "file.permission": ("アクセスが許可されていません", "access is not allowed"),
    "file.not_found": ("見つかりません", "it does not exist"),
    "file.read_only": ("読み取り専用です", "it is read-only"),
    "file.is_folder": ("フォルダです", "it is a folder"),
    "household.case_number_race": (
        "別の保存が同じ世帯番号を使いました。もう一度保存してください",
        "Another save took that number; try again",
    ),
    "assignment.no_consent": (
        "この世帯には会場への紹介の同意がありません。先に同意を記録してください",
        "This household has not consented to referral to a venue; record consent first",
    ),
    "assignment.not_suitable": (
        "この会場には紹介できません：{reasons}",
        "Cannot refer to this venue: {reasons}",
    ),
    "assignment.already": (
        "すでに「{venue}」を利用しています",
        "Already assigned to “{venue}”",
    ),
    "assignment.none": ("利用中の会場はありません", "No current venue assignment"),
    "assignment.plan_stale": (
        "割り当て案の作成後に会場や世帯が変わりました。案を作り直してください",
        "Venues or households changed since the plan was made; make the plan again",
    ),
    "assignment.solver_failed": (
        "割り当てを計算できませんでした：{detail}",
        "The allocation could not be computed: {detail}",
    ),
    "assignment.start_before_current": (
        "現在の会場の利用開始日（{start}）より前の日付では変更できません",
        "The new venue cannot start before the current one began ({start})",
    ),
    "meal.unknown_case": (
        "世帯番号「{value}」は登録されていません。番号を確かめてください",
        "No household has case number “{value}”; check the number",
    ),
    "meal.ambiguous_case": (
        "番号「{value}」に当たる世帯が{count}つあります。どの世帯か選んでください",
        "{count} households have the number “{value}”; choose which",
    ),
    "meal.not_at_this_venue": (
        "世帯番号「{value}」はこの会場に登録されていません。コーディネーターに確認してください",
        "Case number “{value}” is not registered at this venue; ask a coordinator",
    ),
    "meal.duplicate": (
        "{name}さんの世帯は今日すでに{at}に{type}で記録されています。もう一度記録しますか？",
        "{name}'s household was already served today at {at} ({type}); log it again?",
    ),
    "meal.refused": (
        "この会場のルールにより記録できません：{reasons}",
        "Refused by this venue's rules: {reasons}",
    ),
    "meal.nobody": ("食事をした世帯員を1人以上選んでください", "Tick at least one member who ate"),
    "meal.no_guests": (
        "大人か子どもの人数を入力してください",
        "Enter the number of adults or children",
    ),
    "meal.not_found": (
        "この食事記録は見つかりません（すでに取り消し済み）",
        "That meal entry is gone (already undone)",
    ),
    "checkin.empty": (
        "尺度の回答かメモを1つ以上入力してください",
        "Answer at least one scale or write a note",
    ),
    "member.not_found": ("この世帯員は見つかりません", "That member was not found"),
    "member.given_name_needed": (
        "名を入力してください（姓だけの世帯員は保存できません。不要なら「この世帯員を削除」）",
        "Type the given name (a member with only a family name cannot be saved; not needed? "
        "“Delete this member”)",
    ),
    "followup.not_found": ("このフォローアップは見つかりません", "That follow-up was not found"),
    "followup.already_done": (
        "このフォローアップはすでに完了しています",
        "That follow-up is already done",
    ),
    "report.no_consent": (
        "同意がない・期限切れ・撤回済み、または同意に「関係機関への紹介」が含まれていないため、"
        "ケース概要を作成できません",
        "Cannot make the case summary: the household's consent is missing, expired or withdrawn, "
        "or does not cover referral to services",
    ),
    "backup.sqlite_only": (
        "バックアップはこのパソコン上のデータベース（SQLite）のみ作成できます",
        "Backups can only be made of a database on this computer (SQLite)",
    ),
    "backup.server": (
        "サーバーのデータベース（PostgreSQL）はこのアプリではバックアップしません。"
        "サーバー側のバックアップ（pg_dump など）を使ってください",
        "A server database (PostgreSQL) is not backed up by this app; "
        "use the server's own backups (pg_dump)",
    ),
    "backup.damaged": (
        "バックアップが壊れているか、データベースではありません：{path}",
        "The backup is damaged or not a database: {path}",
    ),
    "backup.wrong_passphrase": (
        "合言葉が違うため、バックアップを開けません",
        "Wrong passphrase: the backup cannot be opened",
    ),
    "backup.passphrase_needed": (
        "このバックアップは暗号化されています。合言葉を入力してください"
        "（コマンドでは EVACSUPPORT_PASSPHRASE）",
        "This backup is encrypted; give the passphrase (EVACSUPPORT_PASSPHRASE for commands)",
    ),
    "backup.too_new": (
        "このバックアップは新しい版のevacsupportで作られています（版 {revision}）。"
        "アプリを更新してください",
        "This backup was made by a newer evacsupport (revision {revision}); update the app",
    ),
    "backup.not_found": ("バックアップ「{path}」がありません", "Backup “{path}” not found"),
    "backup.none_good": (
        "使える（壊れていない）バックアップがありません：{path}",
        "No sound backup found in {path}",
    ),
    "backup.cannot_write": (
        "バックアップを書き込めません：{path}（{detail}）",
        "Cannot write the backup: {path} ({detail})",
    ),
    "backup.second_missing": (
        "2つ目の保存先「{path}」が見つかりません（USBメモリが外れていますか）。"
        "バックアップはこのパソコンにだけ保存しました",
        "The second backup folder “{path}” is not there (USB stick unplugged?); "
        "the backup was kept on this computer only",
    ),
    "backup.second_failed": (
        "2つ目の保存先「{path}」にコピーできませんでした：{detail}",
        "Could not copy the backup to the second folder “{path}”: {detail}",
    ),
    "backup.no_accounts": (
        "このバックアップには利用者アカウントがありません。アカウントのあるデータベースを"
        "これで置き換えると、サインインなしで誰でもすべての操作ができてしまうため、復元しません",
        "This backup holds no user accounts; restoring it over a database that has accounts "
        "would let anyone do anything without signing in, so it is refused",
    ),
    "backup.no_accounts_damaged": (
        "このバックアップには利用者アカウントがなく、壊れたファイルにアカウントがあったかどうかも"
        "確かめられないため、復元しません。管理者に相談してください",
        "This backup holds no user accounts, and whether the damaged file had any cannot be "
        "told, so it is not restored; ask an administrator",
    ),
    "backup.credentials_needed": (
        "壊れたファイルにはサインインできません。復元するバックアップに登録されている管理者の"
        "利用者名とパスワードを入力してください（コマンドでは EVACSUPPORT_USER と "
        "EVACSUPPORT_PASSWORD）",
        "A damaged file cannot be signed into: give the user name and password of an "
        "administrator in the backup being restored (EVACSUPPORT_USER and EVACSUPPORT_PASSWORD "
        "for commands)",
    ),
    "backup.wrong_credentials": (
        "利用者名かパスワードが、復元するバックアップの中のものと合いません"
        "（バックアップの後にパスワードを変えた場合は、変える前のパスワードです）",
        "The user name or password does not match the backup being restored (a password "
        "changed after the backup is the old one there)",
    ),
    "cli.backup_done": ("バックアップを作成しました：{path}", "Backup made: {path}"),
    "cli.backup_none": (
        "バックアップはまだありません（{path}）",
        "No backups yet ({path})",
    ),
    "cli.restore_confirm": (
        "「{db}」を「{backup}」の内容に置き換えます。よろしいですか？ [y/N] ",
        "Replace “{db}” with the contents of “{backup}”? [y/N] ",
    ),
    "cli.restore_cancelled": ("復元を取りやめました", "Restore cancelled"),
    "cli.restore_needs_yes": (
        "確認できないため復元しません。--yes を付けて実行してください",
        "Cannot ask for confirmation here; run again with --yes",
    ),
    "cli.restore_done": (
        "「{backup}」から復元しました：{db}",
        "Restored {db} from {backup}",
    ),
    "cli.restore_kept": (
        "復元前のファイルは「{path}」として残しました",
        "The previous file was kept as {path}",
    ),
    # CLI
    "cli.error": ("エラー：{detail}", "Error: {detail}"),
    "cli.demo_done": (
        "デモデータを作成しました：世帯 {households}、世帯員 {members}、会場 {venues}、"
        "食事記録 {meals}、訪問 {visits}、チェックイン {checkins}（{url}）",
        "Demo data created: {households} households, {members} members, {venues} venues, "
        "{meals} meal logs, {visits} visits, {checkins} check-ins ({url})",
    ),
    "cli.demo_not_empty": (
        "データベースにすでに世帯が{count}件あります。空のデータベースを指定してください（--db）",
        "The database already holds {count} households; choose an empty one with --db",
    ),
    "cli.demo_skipped": (
        "データベースにすでに世帯が{count}件あるため、デモデータは追加しません（{url}）",
        "The database already holds {count} households; no demo data added ({url})",
    ),
    "cli.check_ok": (
        "問題は見つかりませんでした（{checks}項目を確認）",
        "No problems found ({checks} checks)",
    ),
    "cli.check_repaired": (
        "活動の集計を記録から作り直しました（{rows}世帯）",
        "Rebuilt the activity facts from the records ({rows} households)",
    ),
    "cli.check_failed": ("{count}件の問題が見つかりました", "{count} problems found"),
    "cli.check_audit_head": (
        "監査ログの末尾（系列 {origin}）：{seq}件目 {hash}",
        "Audit trail end (chain {origin}): entry {seq} {hash}",
    ),
    "check.audit_edited": (
        "監査ログ（系列 {origin}）の{seq}件目が書き換えられています",
        "Audit entry {seq} (chain {origin}) has been edited",
    ),
    "check.audit_changes_edited": (
        "監査ログ（系列 {origin}）の{seq}件目の変更内容が書き換えられています",
        "The changes of audit entry {seq} (chain {origin}) have been edited",
    ),
    "check.audit_missing": (
        "監査ログ（系列 {origin}）の{seq}件目が削除されたか、見つかりません",
        "Audit entry {seq} (chain {origin}) has been deleted or is missing",
    ),
    "check.audit_reordered": (
        "監査ログ（系列 {origin}）の{seq}件目の順序が入れ替えられています",
        "Audit entry {seq} (chain {origin}) is out of order: entries were swapped",
    ),
    "check.audit_inserted": (
        "監査ログ（系列 {origin}）の{seq}件目は後から差し込まれたものです",
        "Audit entry {seq} (chain {origin}) was inserted afterwards",
    ),
    "check.audit_loose": (
        "連鎖に含まれない監査ログが{count}件あります（後から差し込まれたもの）",
        "{count} audit entries are outside the chain (inserted afterwards)",
    ),
    "audit.verified": ("検証済み：{seq}件目まで", "Verified up to entry {seq}"),
    "audit.verified_more": (
        "検証済み：{seq}件目まで（ほかに{chains}系列・{count}件）",
        "Verified up to entry {seq} (and {count} entries in {chains} other chains)",
    ),
    "audit.broken": ("改ざんの疑い：{detail}", "Possible tampering: {detail}"),
    "check.erased_leftover": (
        "{case_number}：消去済みの世帯員に個人情報が残っています（{fields}）",
        "{case_number}: an erased member still holds personal data ({fields})",
    ),
    "cli.no_display": (
        "画面を表示できません（ディスプレイがありません）。コマンドは --help を参照してください",
        "Cannot show the window (no display); see --help for commands",
    ),
    # field names, used to prefix messages outside forms (CLI, import reports)
    "field.case_number": ("世帯番号", "Case number"),
    "field.family_name": ("姓", "Family name"),
    "field.given_name": ("名", "Given name"),
    "field.family_kana": ("セイ（フリガナ）", "Family name (furigana)"),
    "field.given_kana": ("メイ（フリガナ）", "Given name (furigana)"),
    "field.birth_date": ("生年月日", "Birth date"),
    "field.sex": ("性別", "Sex"),
    "field.relation": ("続柄", "Relation"),
    "field.allergens": ("アレルギー", "Allergies"),
    "field.care_level": ("要介護度", "Care level"),
    "field.language": ("言語", "Language"),
    "field.phone": ("電話番号", "Phone"),
    "field.postal_code": ("郵便番号", "Postal code"),
    "field.origin_municipality_code": ("避難元市町", "Origin municipality"),
    "field.origin_address": ("避難元住所", "Origin address"),
    "field.current_municipality_code": ("現在の市町", "Current municipality"),
    "field.current_address": ("現住所", "Current address"),
    "field.evacuation_status": ("避難形態", "Evacuation status"),
    "field.coordinates": ("緯度経度", "Coordinates"),
    "field.latitude": ("緯度", "Latitude"),
    "field.longitude": ("経度", "Longitude"),
    "field.members": ("世帯員", "Members"),
    "field.name": ("名称", "Name"),
    "field.kind": ("種別", "Kind"),
    "field.operator": ("運営団体", "Operator"),
    "field.address": ("住所", "Address"),
    "field.capacity": ("定員", "Capacity"),
    "field.schedule": ("開催日時", "Schedule"),
    "field.allergens_handled": ("対応アレルゲン", "Allergens handled"),
    "field.contact_name": ("担当者", "Contact person"),
    "field.email": ("メール", "E-mail"),
    "field.consented_on": ("同意日", "Consent date"),
    "field.subject": ("同意者", "Consent given by"),
    "field.proxy_name": ("代理人氏名", "Proxy's name"),
    "field.display_name": ("表示名", "Display name"),
    "field.username": ("利用者名", "User name"),
    "field.role": ("役割", "Role"),
    "field.password": ("パスワード", "Password"),
    "field.confirm": ("パスワード（確認）", "Password (again)"),
    "field.venue": ("会場", "Venue"),
    "field.adults": ("大人", "Adults"),
    "field.children": ("子ども", "Children"),
    "field.done_on": ("完了日", "Done on"),
    "field.due_on": ("期限", "Due on"),
    "field.duration_minutes": ("所要時間（分）", "Duration (minutes)"),
    "field.end_on": ("終了日", "End date"),
    "field.follow_up_due": ("次回の期限", "Follow-up due"),
    "field.k6": ("K6", "K6"),
    "field.meal_type": ("種別", "Meal type"),
    "field.min_interval_minutes": ("前回からの最短間隔（分）", "Minimum interval (minutes)"),
    "field.municipality_code": ("市区町村コード", "Municipality code"),
    "field.outcome": ("結果", "Outcome"),
    "field.owner": ("担当", "Owner"),
    "field.reason": ("理由", "Reason"),
    "field.referral": ("紹介先", "Referral"),
    "field.served_on": ("提供日", "Served on"),
    "field.source": ("きっかけ", "Source"),
    "field.start_on": ("開始日", "Start date"),
    "field.proxy_relation": ("代理人の続柄", "Proxy's relation"),
    "field.method": ("同意方法", "Method"),
    "field.staff": ("担当職員", "Staff member"),
    "field.purposes": ("利用目的", "Purposes"),
    "field.recipients": ("提供先", "Recipients"),
    "field.expires_on": ("有効期限", "Expiry"),
    "field.withdrawn_on": ("撤回日", "Withdrawal date"),
    "field.moved_on": ("転居日", "Date of move"),
    "field.place": ("場所", "Place"),
    "field.status": ("状態", "Status"),
    "field.event": ("災害", "Disaster event"),
    "field.notes": ("備考", "Notes"),
    "field.medical_notes": ("既往歴・障害", "Medical/disability notes"),
    "field.dietary_needs": ("食事の配慮", "Dietary needs"),
    "field.needs_wheelchair": ("車椅子", "Wheelchair"),
    "import.missing_column": (
        "必須の列「{column}」がありません",
        "The required column “{column}” is missing",
    ),
    "import.column_ignored": ("列「{column}」は取り込みません", "Column “{column}” is ignored"),
    "import.cancelled": ("取り込みを中止しました", "Import cancelled"),
    "auth.password_short": (
        "パスワードは{min}文字以上にしてください",
        "The password must be at least {min} characters",
    ),
    "auth.password_mismatch": (
        "確認のパスワードが一致しません",
        "The two passwords differ",
    ),
    "auth.username_format": (
        "利用者名は64文字以内の英数字（. _ - も可）にしてください",
        "Use up to 64 letters, digits, dots, hyphens or underscores",
    ),
    "auth.username_taken": ("利用者名「{value}」はすでにあります", "“{value}” is taken"),
    "auth.first_must_be_admin": (
        "最初の利用者は管理者にしてください",
        "The first account must be an administrator",
    ),
    "auth.venue_required": (
        "会場スタッフには担当会場を選んでください",
        "Choose the venue for venue staff",
    ),
    # One text for every refused sign-in (unknown name, disabled, locked, wrong password), so
    # the answer never tells which account names exist.
    "auth.failed": (
        "利用者名かパスワードが違います。続けて{tries}回間違えたアカウントは{minutes}分間ロックされ、"
        "その間は正しいパスワードでも入れません（急ぐときは管理者に解除を頼んでください）",
        "Wrong user name or password. {tries} wrong tries in a row lock an account for {minutes} "
        "minutes, when even the right password is refused (an administrator can lift the lock)",
    ),
    "auth.cannot_disable_self": (
        "自分のアカウントは無効にできません",
        "You cannot disable your own account",
    ),
    "auth.no_such_user": ("利用者「{value}」はいません", "No account “{value}”"),
    "auth.credentials_needed": (
        "このデータベースにはログインが必要です。環境変数 EVACSUPPORT_USER と "
        "EVACSUPPORT_PASSWORD を設定してください",
        "This database needs a sign-in; set EVACSUPPORT_USER and EVACSUPPORT_PASSWORD",
    ),
    "auth.init_needed": (
        "このデータベースには世帯の記録がありますが、利用者のアカウントがありません。"
        "同じデータベースを指定して evacsupport init を実行し、最初の管理者を作ってください",
        "This database holds households but no accounts; run evacsupport init on it to create "
        "its first administrator",
    ),
    "auth.already_initialised": (
        "このデータベースにはすでに利用者がいます",
        "This database already has accounts",
    ),
    "auth.other_venue": (
        "担当の会場以外の受付・名簿は使えません",
        "You can use only your own venue's counter and roster",
    ),
    "cli.demo_accounts": (
        "ログイン用のアカウント：{accounts}（パスワードはどれも「{password}」）",
        "Accounts to sign in with: {accounts} (password “{password}” for each)",
    ),
    "auth.sign_in_needed": (
        "サインインしてから操作してください",
        "Sign in first",
    ),
    "auth.forbidden": (
        "{role}の権限ではこの操作はできません。管理者に相談してください",
        "A {role} may not do this; ask an administrator",
    ),
    # audit trail (services/audit.py): actions and the records they touch
    "audit.action.create": ("作成", "Created"),
    "audit.action.update": ("更新", "Updated"),
    "audit.action.delete": ("削除", "Deleted"),
    "audit.action.login": ("ログイン", "Signed in"),
    "audit.action.encrypt": ("暗号化", "Encrypted the database"),
    "audit.action.rekey": ("鍵の変更", "Changed the database key"),
    "audit.action.login_failed": ("ログイン失敗", "Sign-in failed"),
    "audit.action.export": ("出力", "Export"),
    "audit.action.report": ("帳票", "Report"),
    "audit.action.import": ("取込", "Import"),
    "audit.action.sync_import": ("同期取込", "Sync read"),
    "audit.action.sync_export": ("同期出力", "Sync file made"),
    "audit.action.sync_resolve": ("食い違いの解決", "Conflict settled"),
    "audit.action.erase": ("消去", "Erased"),
    "audit.action.audit_scrub": ("監査ログの消去処理", "Audit values erased"),
    "audit.action.restore": ("復元", "Restored"),
    "audit.action.backup": ("バックアップ", "Backup"),
    "audit.entity.household": ("世帯", "Household"),
    "audit.entity.member": ("世帯員", "Member"),
    "audit.entity.consent": ("同意", "Consent"),
    "audit.entity.residence": ("居所", "Residence"),
    "audit.entity.assignment": ("会場の割り当て", "Venue assignment"),
    "audit.entity.visit": ("訪問・電話", "Visit or call"),
    "audit.entity.checkin": ("チェックイン", "Check-in"),
    "audit.entity.followup": ("フォローアップ", "Follow-up"),
    "audit.entity.meal_log": ("食事の記録", "Meal"),
    "audit.entity.venue": ("会場", "Venue"),
    "audit.entity.disaster_event": ("災害", "Disaster event"),
    "audit.entity.app_user": ("利用者アカウント", "Account"),
    "audit.entity.audit_entry": ("監査ログ", "Audit trail"),
    "field.deleted_at": ("削除日時", "Deleted at"),
    "field.entries": ("件数", "Entries"),
    "sync.passphrase_needed": (
        "合言葉を環境変数 {var} で渡してください",
        "Give the passphrase in the environment variable {var}",
    ),
    "sync.passphrase_short": (
        "合言葉（パスフレーズ）は{min}文字以上にしてください",
        "The passphrase must be at least {min} characters",
    ),
    "sync.not_a_package": (
        "同期ファイル（.evsync）ではありません。ファイルを確かめてください",
        "This is not a sync package (.evsync); check the file",
    ),
    "sync.damaged": (
        "同期ファイルが壊れているか、書き換えられています。送り手に作り直してもらってください。何も変更していません",
        "The package is damaged or was altered; ask the sender for a new one. Nothing was changed",
    ),
    "sync.wrong_passphrase": (
        "合言葉が違います。チームで決めた合言葉を入力してください。何も変更していません",
        "Wrong passphrase; enter the team's passphrase. Nothing was changed",
    ),
    "sync.unknown_format": (
        "この同期ファイルは別の版のアプリで作られています。アプリを更新してください",
        "This package was made by another version of the app; update the app",
    ),
    "sync.malformed": (
        "同期ファイルの中身が正しくないため読み込めません（{where}）。送り手にアプリを更新して"
        "作り直してもらってください。何も変更していません",
        "The package's contents are not what the app writes ({where}); ask the sender to "
        "update the app and make a new one. Nothing was changed",
    ),
    "sync.inconsistent": (
        "同期ファイルの内容がこの端末のデータと合わないため読み込めません（参照する記録がない、"
        "同じ名前の記録がある など）。送り手の端末と、この端末のデータを確かめてください。"
        "何も変更していません",
        "The package does not fit this laptop's data (a record it refers to is missing, or a "
        "name is taken twice); check the data on both laptops. Nothing was changed",
    ),
    "sync.cannot_read": (
        "同期ファイル {path} を読めません（{detail}）",
        "Cannot read the sync package {path} ({detail})",
    ),
    "sync.cannot_write": (
        "同期ファイル {path} を書き込めません（{detail}）。保存先を確かめてください",
        "Cannot write the sync package {path} ({detail}); check the folder",
    ),
    "sync.peer_required": (
        "送り先の端末名を入力してください",
        "Enter the name of the laptop to send to",
    ),
    "sync.own_package": (
        "この端末が作った同期ファイルです。相手の端末で読み込んでください",
        "This package was made on this laptop; import it on the other laptop",
    ),
    "sync.wrong_recipient": (
        "この同期ファイルは別の端末（{name}）宛てです。何も変更していません",
        "This package is for another laptop ({name}). Nothing was changed",
    ),
    "sync.unknown_recipient": (
        "この同期ファイルは、この端末からまだ同期ファイルを受け取ったことのない端末「{sender}」が、"
        "「{to_name}」宛てに作ったものです（この端末の名前は「{here}」）",
        "This package was made by “{sender}”, a laptop that has never had a package from this "
        "one, for “{to_name}” (this laptop is “{here}”)",
    ),
    "sync.unknown_recipient_cli": (
        "この同期ファイルは、この端末からまだ同期ファイルを受け取ったことのない端末「{sender}」が、"
        "「{to_name}」宛てに作ったものです（この端末の名前は「{here}」）。送り手と宛先を"
        "確かめたうえで読み込むには --accept-unknown を付けてください。何も変更していません",
        "This package was made by “{sender}”, a laptop that has never had a package from this "
        "one, for “{to_name}” (this laptop is “{here}”); if you know the sender and it is for "
        "this laptop, run again with --accept-unknown. Nothing was changed",
    ),
    "sync.venue_needs_empty": (
        "会場用の同期ファイルは、データの入っていない新しい端末でのみ読み込めます",
        "A venue package can start only an empty laptop; this one already holds households",
    ),
    "sync.venue_full_package": (
        "この会場用端末には、事務所から会場用に作った同期ファイルだけを読み込めます",
        "This venue laptop takes only venue packages from the office",
    ),
    "sync.venue_cannot_scope": (
        "会場用端末からは会場用の同期ファイルを作れません",
        "A venue laptop cannot make venue packages",
    ),
    "sync.peer_other_venue": (
        "端末「{peer}」は別の会場の範囲で同期しています。別の端末名を使ってください",
        "Laptop “{peer}” syncs for another venue; use another name",
    ),
    "sync.peer_not_venue": (
        "端末「{peer}」は全件で同期しています。会場用には別の端末名を使ってください",
        "Laptop “{peer}” syncs everything; use another name for a venue laptop",
    ),
    "sync.venue_staff_elsewhere": (
        "会場スタッフのアカウントでは、担当会場の会場用端末でだけ同期できます。この端末では"
        "コーディネーターか管理者がサインインしてください",
        "Venue staff can sync only on their own venue's laptop; on this laptop a coordinator "
        "or an administrator must sign in",
    ),
    "sync.accounts_need_admin": (
        "この同期ファイルには利用者アカウントの追加や変更が含まれているため、管理者だけが"
        "取り込めます。管理者が取り込んでください。何も変更していません",
        "This package adds or changes accounts, so only an administrator may import it; ask "
        "an administrator to import it. Nothing was changed",
    ),
    "sync.accounts_above_sender": (
        "この同期ファイルは管理者以外が作ったため、会場スタッフ以外のアカウントや、アカウントの"
        "権限を上げる変更は取り込めません。管理者に同期ファイルを作ってもらってください。"
        "何も変更していません",
        "This package was not made by an administrator, so it may not bring accounts other "
        "than venue staff or raise an account's rights; ask an administrator to make the "
        "package. Nothing was changed",
    ),
    "sync.accounts_outside_venue": (
        "会場用の同期ファイルには、その会場の会場スタッフのアカウントしか含められません。"
        "事務所で作り直してもらってください。何も変更していません",
        "A venue package may carry only that venue's staff accounts; ask the office for a new "
        "one. Nothing was changed",
    ),
    "sync.conflict_not_found": (
        "この食い違いはすでに解決されています。一覧を更新してください",
        "This conflict has already been settled; refresh the list",
    ),
    "sync.edit_text_only": (
        "この項目は編集できません。「こちらを残す」か「相手を採用」を選んでください",
        "This field cannot be edited here; keep yours or take theirs",
    ),
    "import.encoding": (
        "文字コードを読み取れません。Excelで「CSV UTF-8（コンマ区切り）」か"
        "「CSV（コンマ区切り）」の形式で保存し直してから取り込んでください",
        "Cannot read the text encoding; save the file from Excel as “CSV UTF-8 (Comma "
        "delimited)” or “CSV (Comma delimited)” and import that",
    ),
    "import.unreadable": (
        "Excelファイルとして読み取れません（壊れているか、.xlsx形式ではありません）",
        "Cannot read this as an Excel file (it is damaged or not in .xlsx format)",
    ),
    "import.xls_old": (
        "古いExcel形式（.xls）か、パスワード付きのファイルです。パスワードを外し、"
        ".xlsxかCSVの形式で保存し直してから取り込んでください",
        "This is an old Excel file (.xls) or a password-protected one; remove the password, "
        "save it as .xlsx or CSV and import that",
    ),
    "import.cannot_open": (
        "ファイル「{path}」を開けません。Excelなどで開いていれば閉じてから、もう一度試してください",
        "Cannot open “{path}”; if another program such as Excel has it open, close it and "
        "try again",
    ),
    "import.file_too_large": (
        "ファイルが大きすぎます（{size_mb} MB、上限{max_mb} MB）。"
        "ファイルを分けて、一つずつ取り込んでください",
        "The file is too large ({size_mb} MB; at most {max_mb} MB); split it into smaller "
        "files and import each",
    ),
    "import.too_many_rows": (
        "行が多すぎます（上限{max}行）。{max}行以下ずつのファイルに分けて取り込んでください",
        "The file has too many rows (at most {max}); split it into files of at most {max} "
        "rows and import each",
    ),
    "import.too_many_cells": (
        "セルが多すぎます（上限{max}セル）。使わない列を削除するか、ファイルを分けて"
        "取り込んでください",
        "The file has too many cells (at most {max}); delete the columns you do not need or "
        "split the file, and import again",
    ),
    "import.xlsx_unpacked": (
        "Excelファイルの中身が大きすぎます（展開すると{max_mb} MBを超えます）。"
        "ファイルを分けるか、CSVで保存して取り込んでください",
        "The Excel file is too large inside (over {max_mb} MB unpacked); split it, or save "
        "it as CSV and import that",
    ),
    "import.xlsx_ratio": (
        "Excelファイルの圧縮が異常です（{max}倍を超える圧縮）。通常のExcelファイルでは"
        "ありません。作成元に確かめるか、ExcelでCSVとして保存し直してください",
        "The Excel file is compressed abnormally (more than {max} times), as no ordinary "
        "workbook is; check where it came from, or save it as CSV from Excel",
    ),
    "import.too_slow": (
        "ファイルの読み込みが{seconds}秒を超えたため中止しました。"
        "ファイルを分けて、一つずつ取り込んでください",
        "Reading the file took more than {seconds} seconds and was stopped; split it into "
        "smaller files and import each",
    ),
    "import.cell_too_large": (
        "{line}行目に大きすぎるセルがあります（1セル{max}文字まで）",
        "Line {line} has a cell that is too large (at most {max} characters)",
    ),
    "import.empty": ("ファイルに見出し行がありません", "The file has no header row"),
    "import.no_file": ("ファイル「{path}」がありません", "File “{path}” not found"),
    "import.venue_unknown": ("会場「{value}」が見つかりません", "Venue “{value}” not found"),
    "import.no_people": ("人数を入力してください", "Enter the number of people"),
    "import.meal_note": ("{file} から取り込み", "Imported from {file}"),
    "import.needs_read": (
        "「{column}」から{field}を{count}人分読み取りました",
        "Read {field} for {count} people from “{column}”",
    ),
    "import.needs_notes": (
        "「{column}」のそのほかの内容は、{count}人分を氏名を付けて世帯の備考に残しました",
        "Kept the rest of “{column}” for {count} people in the household notes, under each "
        "person's name",
    ),
    "import.map_syntax": (
        "--map「{value}」を読み取れません。--map 列=ファイルの値:取り込む値 の形で指定して"
        "ください（例：--map 種別=居場所:other）",
        "Cannot read --map “{value}”; write it as --map COLUMN=VALUE:CHOICE "
        "(e.g. --map 種別=居場所:other)",
    ),
    "import.map_column": (
        "--map の列「{column}」は、このファイルの選択肢の列ではありません"
        "（このファイルの選択肢の列：{columns}）",
        "“{column}” in --map is not a choice column of this file (its choice columns: {columns})",
    ),
    "import.map_target": (
        "--map で「{column}」の「{value}」に指定した「{target}」は選択肢にありません。"
        "次のどれかを指定してください：{choices}",
        "“{target}”, given in --map for “{value}” in “{column}”, is not a choice; give one "
        "of: {choices}",
    ),
    "import.unmatched_head": (
        "選択肢にない値があります。--map 列=値:取り込む値 で対応付けると、その値の行を"
        "すべて取り込めます：",
        "Some values are not choices; map one with --map COLUMN=VALUE:CHOICE and every row "
        "with it is imported:",
    ),
    "import.unmatched_line": (
        "  {column}「{value}」 {rows}行　例：--map {example}",
        "  {column} “{value}” (rows: {rows}); e.g. --map {example}",
    ),
    "import.unmatched_choices": (
        "  「{column}」で選べる値：{choices}",
        "  Choices for “{column}”: {choices}",
    ),
    "import.mapped_line": (
        "{column}「{value}」（{rows}行）→ {target}（{how}）",
        "{column} “{value}” (rows: {rows}) → {target} ({how})",
    ),
    "import.mapped_by_map": ("--map で指定", "given with --map"),
    "import.mapped_remembered": (
        "前回の対応付け。変えるには --map",
        "remembered from the last import; --map changes it",
    ),
    "import.map_not_saved": (
        "対応付けを保存できませんでした（{path}）。次回もう一度指定してください",
        "Could not save the value mapping ({path}); give it again next time",
    ),
    "erase.reason": (
        "消去の理由「{value}」は選べません（{choices}のいずれか）",
        "“{value}” is not an erasure reason (one of {choices})",
    ),
    "erase.months": (
        "保存期間は1か月以上で指定してください（{value}）",
        "The retention period must be at least one month ({value})",
    ),
    "erase.done": (
        "{case_number} の個人情報を消去しました（世帯員{members}人、記録{records}件、"
        "監査記録{audit}件を処理）",
        "Erased the personal data of {case_number} ({members} members, {records} records, "
        "{audit} audit entries scrubbed)",
    ),
    "erase.confirm_needed": (
        "確認のため --yes を付けて実行してください",
        "Run again with --yes to confirm",
    ),
    "erase.purge_none": (
        "{months}か月より前に支援終了した未消去の世帯はありません",
        "No household closed more than {months} months ago is left to erase",
    ),
    "erase.purge_would": (
        "次の{count}世帯が消去の対象です：",
        "These {count} households would be erased:",
    ),
    "erase.purge_done": ("{count}世帯の個人情報を消去しました", "Erased {count} households"),
    "export.blanked_no_consent": (
        "同意がない世帯の食事{count}件は世帯番号を空欄にしました",
        "{count} meals of households without consent have no case number",
    ),
    # the geocoder (domain/geocode.py): why an address has no point, notes on one that has
    "geocode.empty": ("住所も郵便番号もありません", "There is no address or postal code"),
    "geocode.no_municipality": (
        "住所から市区町村を読み取れません",
        "No municipality recognised in the address",
    ),
    "geocode.no_municipality_in": (
        "住所の{subject}の後に市区町村を読み取れません",
        "No municipality of {subject} recognised in the address",
    ),
    "geocode.municipality_ambiguous": (
        "「{subject}」は複数の市区町村にあります。都道府県名か郵便番号を添えてください",
        "More than one municipality is called “{subject}”; add the prefecture or the postal code",
    ),
    "geocode.postal_unknown": (
        "郵便番号「{subject}」は見つかりません",
        "Postal code “{subject}” not found",
    ),
    "geocode.no_data": (
        "{subject}の位置のデータがありません",
        "There is no location data for {subject}",
    ),
    "geocode.note.town_not_found": (
        "{subject}の町名が見つからないため、市区町村の代表点です",
        "Town not found in {subject}: the point is the municipality's",
    ),
    "geocode.note.postal_used": (
        "住所から町名を読み取れないため、郵便番号の区域の代表点です",
        "The town could not be read from the address: the point is the postal code area's",
    ),
    "geocode.note.postal_elsewhere": (
        "郵便番号は{subject}のものです。住所の位置を使いました",
        "The postal code belongs to {subject}; the address was used",
    ),
    "geocode.note.postal_unknown": (
        "郵便番号「{subject}」は見つかりません。住所の位置を使いました",
        "Postal code “{subject}” not found; the address was used",
    ),
    "geocode.describe": (
        "{name}の代表点（{precision}）",
        "representative point of {name} ({precision})",
    ),
    "geocode.precision.koaza": ("小字", "koaza"),
    "geocode.precision.town": ("町丁目", "town"),
    "geocode.precision.postal": ("郵便番号の区域", "postal code area"),
    "geocode.precision.city": ("市区町村", "municipality"),
    "import.located": ("位置：{counts}", "Points: {counts}"),
    "import.located_count": ("{kind} {count}件", "{count} {kind}"),
    "import.not_located": (
        "行{row}：{why}（位置なしで取り込みます。あとで住所を直すか位置を入力してください）",
        "row {row}: {why} (imported without a point; correct the address or enter the point later)",
    ),
    # places (services/places.py): where a household's or venue's point came from
    "place.manual": ("入力された位置", "the point as entered"),
    "place.none": (
        "住所から場所を特定できません：{reason}",
        "No place found from the address: {reason}",
    ),
    "place.none_yet": (
        "位置が未登録です（住所から位置を補う：evacsupport places fill）",
        "No point yet (fill points from addresses: evacsupport places fill)",
    ),
    "place.approximate": ("およその位置", "approximate"),
}


def set_language(lang: str) -> None:
    """Choose the language for messages; unknown codes fall back to Japanese."""
    global _current
    _current = lang if lang in LANGUAGES else "ja"


def current_language() -> str:
    return _current


def message(key: str, lang: str | None = None, **params: Any) -> str:
    """The text for ``key``; an unknown key shows itself, so a gap is visible but not fatal."""
    entry = CATALOG.get(key)
    if entry is None:
        return key
    text = entry[0] if (lang or _current) == "ja" else entry[1]
    try:
        return text.format(**params)
    except (KeyError, IndexError):
        return text
