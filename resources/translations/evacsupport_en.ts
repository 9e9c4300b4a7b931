<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>AboutDialog</name>
    <message>
        <source>evacsupport について</source>
        <translation>About evacsupport</translation>
    </message>
    <message>
        <source>バージョン %1</source>
        <translation>Version %1</translation>
    </message>
    <message>
        <source>避難者を地域の居場所（こども食堂など）につなぎ、見守るためのケース管理アプリ。</source>
        <translation>Case management for connecting evacuees to community places (such as kodomo shokudo) and keeping an eye on their wellbeing.</translation>
    </message>
    <message>
        <source>データフォルダ：</source>
        <translation>Data folder:</translation>
    </message>
    <message>
        <source>使用中のデータベース：</source>
        <translation>Database in use:</translation>
    </message>
    <message>
        <source>ログファイル：</source>
        <translation>Log file:</translation>
    </message>
    <message>
        <source>暗号化されています（SQLCipher、AES-256）</source>
        <translation>Encrypted (SQLCipher, AES-256)</translation>
    </message>
    <message>
        <source>暗号化されていません。ノートパソコンをなくすと、ファイルから個人情報を読まれるおそれがあります。管理者は［ファイル］→［データベースを暗号化］で暗号化できます。</source>
        <translation>Not encrypted. If the laptop is lost, personal data can be read from the file. An administrator can encrypt it with File → Encrypt the database.</translation>
    </message>
    <message>
        <source>暗号化：</source>
        <translation>Encryption:</translation>
    </message>
    <message>
        <source>構成要素</source>
        <translation>Component</translation>
    </message>
    <message>
        <source>バージョン</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>ライセンス</source>
        <translation>Licence</translation>
    </message>
    <message>
        <source>用途</source>
        <translation>Used for</translation>
    </message>
    <message>
        <source>このアプリは Qt（PySide6）を LGPLv3 のもとで利用しています。Qt のライブラリは動的にリンクしているため、利用者が差し替えることができます。&lt;a href=&quot;%1&quot;&gt;LGPL の義務について&lt;/a&gt;</source>
        <translation>This app uses Qt (PySide6) under the LGPLv3. Qt&apos;s libraries are linked dynamically, so users can replace them. &lt;a href=&quot;%1&quot;&gt;About the LGPL obligations&lt;/a&gt;</translation>
    </message>
    <message>
        <source>行をダブルクリックすると、その構成要素のサイトを開きます。</source>
        <translation>Double-click a row to open the component&apos;s website.</translation>
    </message>
    <message>
        <source>IPAフォントのライセンス全文(&amp;F)…</source>
        <translation>Full IPA &amp;Font licence…</translation>
    </message>
    <message>
        <source>同梱している構成要素とライセンス</source>
        <translation>Bundled components and their licences</translation>
    </message>
    <message>
        <source>IPAフォントライセンス v1.0</source>
        <translation>IPA Font License Agreement v1.0</translation>
    </message>
</context>
<context>
    <name>ActivityTabs</name>
    <message>
        <source>食事</source>
        <translation>Meals</translation>
    </message>
    <message>
        <source>訪問・電話を記録(&amp;V)…</source>
        <translation>Record a &amp;visit or call…</translation>
    </message>
    <message>
        <source>チェックインを記録(&amp;K)…</source>
        <translation>Record a chec&amp;k-in…</translation>
    </message>
    <message>
        <source>尺度の推移</source>
        <translation>Scores over time</translation>
    </message>
    <message>
        <source>訪問</source>
        <translation>Visits</translation>
    </message>
    <message>
        <source>チェックイン</source>
        <translation>Check-ins</translation>
    </message>
    <message>
        <source>推移を見る人</source>
        <translation>Trend for</translation>
    </message>
    <message>
        <source>フォローアップ</source>
        <translation>Follow-ups</translation>
    </message>
    <message>
        <source>孤独感</source>
        <translation>Loneliness</translation>
    </message>
</context>
<context>
    <name>AdministratorDialog</name>
    <message>
        <source>バックアップから復元</source>
        <translation>Restore from a backup</translation>
    </message>
    <message>
        <source>壊れたファイルにはサインインできないため、復元するバックアップに登録されている管理者のアカウントで確かめます。バックアップの後にパスワードを変えた場合は、変える前のパスワードを入力してください。</source>
        <translation>A damaged file cannot be signed into, so an administrator account in the backup being restored is checked instead. If the password was changed after the backup, enter the password from before the change.</translation>
    </message>
    <message>
        <source>利用者名(&amp;U)：</source>
        <translation>&amp;User name:</translation>
    </message>
    <message>
        <source>パスワード(&amp;P)：</source>
        <translation>&amp;Password:</translation>
    </message>
</context>
<context>
    <name>AllergenPicker</name>
    <message>
        <source>特定原材料（表示義務）</source>
        <translation>Mandatory labelling (8)</translation>
    </message>
    <message>
        <source>特定原材料に準ずるもの</source>
        <translation>Recommended labelling (20)</translation>
    </message>
</context>
<context>
    <name>AllocateDialog</name>
    <message>
        <source>会場への一括割り当て</source>
        <translation>Bulk allocation to venues</translation>
    </message>
    <message>
        <source>会場が決まっていない世帯（支援中）を、定員を超えないように近い会場へ割り当てる案を作ります。家族は分けません。「確定して登録」を押すまで何も登録されません。</source>
        <translation>Makes a plan that places active households without a venue at nearby venues, without exceeding any venue&apos;s capacity. Families are never split. Nothing is recorded until you press “Confirm and record”.</translation>
    </message>
    <message>
        <source>案を作成(&amp;P)</source>
        <translation>Make a &amp;plan</translation>
    </message>
    <message>
        <source>中止</source>
        <translation>Stop</translation>
    </message>
    <message>
        <source>割り当てる世帯</source>
        <translation>Households to place</translation>
    </message>
    <message>
        <source>割り当てられない世帯</source>
        <translation>Households that cannot be placed</translation>
    </message>
    <message>
        <source>一覧</source>
        <translation>List</translation>
    </message>
    <message>
        <source>地図</source>
        <translation>Map</translation>
    </message>
    <message>
        <source>確定して登録(&amp;C)</source>
        <translation>&amp;Confirm and record</translation>
    </message>
    <message>
        <source>この案のとおりに割り当てを登録します</source>
        <translation>Record the assignments exactly as in this plan</translation>
    </message>
    <message>
        <source>閉じる</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Enter またはダブルクリックで地図に表示</source>
        <translation>Enter or double-click shows the household on the map</translation>
    </message>
    <message>
        <source>中止しました</source>
        <translation>Stopped</translation>
    </message>
    <message>
        <source>計算中…</source>
        <translation>Calculating…</translation>
    </message>
    <message>
        <source>割り当てる世帯（%1）</source>
        <translation>Households to place (%1)</translation>
    </message>
    <message>
        <source>割り当てられない世帯（%1）</source>
        <translation>Households that cannot be placed (%1)</translation>
    </message>
    <message>
        <source>最適解</source>
        <translation>optimal</translation>
    </message>
    <message>
        <source>時間内の最良解（差 %1%）</source>
        <translation>best found in the time limit (gap %1%)</translation>
    </message>
    <message>
        <source>配置 %1 世帯・%2 人、合計距離 %3 km、%4</source>
        <translation>Placed %1 households, %2 people; total distance %3 km; %4</translation>
    </message>
    <message>
        <source>。うち %1 世帯は住所からおよその位置しか分からず、距離もおよそです（「位置」列）</source>
        <translation>. For %1 of them the address gives only an approximate point, so the distance is approximate too (see the Location column)</translation>
    </message>
    <message>
        <source>案を作り直してください</source>
        <translation>Please make the plan again</translation>
    </message>
    <message>
        <source>一括割り当て</source>
        <translation>Bulk allocation</translation>
    </message>
    <message>
        <source>%1 世帯を会場に割り当てました。</source>
        <translation>Assigned %1 households to venues.</translation>
    </message>
</context>
<context>
    <name>Allocation</name>
    <message>
        <source>世帯番号</source>
        <translation>Case number</translation>
    </message>
    <message>
        <source>人数</source>
        <translation>People</translation>
    </message>
    <message>
        <source>会場</source>
        <translation>Venue</translation>
    </message>
    <message>
        <source>距離 km</source>
        <translation>Distance (km)</translation>
    </message>
    <message>
        <source>位置</source>
        <translation>Location</translation>
    </message>
    <message>
        <source>理由</source>
        <translation>Reasons</translation>
    </message>
    <message>
        <source>およそ（%1）</source>
        <translation>approximate (%1)</translation>
    </message>
    <message>
        <source>配置できない理由</source>
        <translation>Why it cannot be placed</translation>
    </message>
</context>
<context>
    <name>Assignment</name>
    <message>
        <source>、</source>
        <translation>; </translation>
    </message>
</context>
<context>
    <name>AssignmentPanel</name>
    <message>
        <source>利用を終了(&amp;E)</source>
        <translation>&amp;End the referral</translation>
    </message>
    <message>
        <source>この会場に紹介する(&amp;R)</source>
        <translation>&amp;Refer to this venue</translation>
    </message>
    <message>
        <source>選んだ会場への紹介をすぐに登録します。世帯の「保存」とは別の操作で、利用中の会場があればその利用は今日で終わります。</source>
        <translation>Records the referral to the selected venue at once. This is separate from saving the household; a current referral to another venue ends today.</translation>
    </message>
    <message>
        <source>会場</source>
        <translation>Venue</translation>
    </message>
    <message>
        <source>開始日</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>終了日</source>
        <translation>End date</translation>
    </message>
    <message>
        <source>理由</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>現在の会場</source>
        <translation>Current venue</translation>
    </message>
    <message>
        <source>紹介先の候補（近い順）</source>
        <translation>Suggested venues (nearest first)</translation>
    </message>
    <message>
        <source>紹介はすぐに登録されます（「保存」は不要です）</source>
        <translation>A referral is recorded at once (no need to Save)</translation>
    </message>
    <message>
        <source>利用の履歴</source>
        <translation>History</translation>
    </message>
    <message>
        <source>候補は入力中の内容から出しています。紹介は世帯を保存した後にできます</source>
        <translation>Suggestions are for the form as typed; a referral can be made once the household is saved</translation>
    </message>
    <message>
        <source>入力に誤りがあります。直すと、入力中の内容から候補を出します。</source>
        <translation>The form has mistakes; once they are fixed, venues are suggested for what is typed.</translation>
    </message>
    <message>
        <source>未割り当て</source>
        <translation>Not assigned</translation>
    </message>
    <message>
        <source>%1（%2から利用中）</source>
        <translation>%1 (since %2)</translation>
    </message>
    <message>
        <source>世帯を保存すると、ここから紹介できます</source>
        <translation>Save the household to refer it from here</translation>
    </message>
    <message>
        <source>会場を選ぶと、ここに理由がすべて表示されます。</source>
        <translation>Select a venue to see all of its reasons here.</translation>
    </message>
    <message>
        <source>「%1」へ変更：</source>
        <translation>Moved to “%1”: </translation>
    </message>
</context>
<context>
    <name>AuditModel</name>
    <message>
        <source>作成</source>
        <translation>Created</translation>
    </message>
    <message>
        <source>更新</source>
        <translation>Updated</translation>
    </message>
    <message>
        <source>削除</source>
        <translation>Deleted</translation>
    </message>
    <message>
        <source>ログイン</source>
        <translation>Signed in</translation>
    </message>
    <message>
        <source>ログイン失敗</source>
        <translation>Sign-in failed</translation>
    </message>
    <message>
        <source>出力</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>帳票</source>
        <translation>Report</translation>
    </message>
    <message>
        <source>取込</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>同期取込</source>
        <translation>Sync read</translation>
    </message>
    <message>
        <source>同期出力</source>
        <translation>Sync file made</translation>
    </message>
    <message>
        <source>消去</source>
        <translation>Erased</translation>
    </message>
    <message>
        <source>監査ログの消去処理</source>
        <translation>Audit values erased</translation>
    </message>
    <message>
        <source>復元</source>
        <translation>Restored</translation>
    </message>
    <message>
        <source>バックアップ</source>
        <translation>Backup</translation>
    </message>
    <message>
        <source>世帯</source>
        <translation>Household</translation>
    </message>
    <message>
        <source>世帯員</source>
        <translation>Member</translation>
    </message>
    <message>
        <source>同意</source>
        <translation>Consent</translation>
    </message>
    <message>
        <source>居所</source>
        <translation>Residence</translation>
    </message>
    <message>
        <source>会場の割り当て</source>
        <translation>Venue assignment</translation>
    </message>
    <message>
        <source>訪問・電話</source>
        <translation>Visit or call</translation>
    </message>
    <message>
        <source>チェックイン</source>
        <translation>Check-in</translation>
    </message>
    <message>
        <source>フォローアップ</source>
        <translation>Follow-up</translation>
    </message>
    <message>
        <source>食事の記録</source>
        <translation>Meal</translation>
    </message>
    <message>
        <source>会場</source>
        <translation>Venue</translation>
    </message>
    <message>
        <source>災害</source>
        <translation>Disaster event</translation>
    </message>
    <message>
        <source>利用者アカウント</source>
        <translation>Account</translation>
    </message>
    <message>
        <source>監査ログ</source>
        <translation>Audit trail</translation>
    </message>
    <message>
        <source>日時</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>利用者</source>
        <translation>User</translation>
    </message>
    <message>
        <source>操作</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>対象</source>
        <translation>Record type</translation>
    </message>
    <message>
        <source>記録</source>
        <translation>Record</translation>
    </message>
    <message>
        <source>変更内容</source>
        <translation>Changes</translation>
    </message>
</context>
<context>
    <name>AuditPage</name>
    <message>
        <source>すべての操作</source>
        <translation>All actions</translation>
    </message>
    <message>
        <source>すべての対象</source>
        <translation>All record types</translation>
    </message>
    <message>
        <source>期間(&amp;D)</source>
        <translation>&amp;Dates</translation>
    </message>
    <message>
        <source>世帯番号・氏名・変更内容など</source>
        <translation>Case number, name, changed values…</translation>
    </message>
    <message>
        <source>CSVに書き出す…</source>
        <translation>Export to CSV…</translation>
    </message>
    <message>
        <source>利用者(&amp;U)</source>
        <translation>&amp;User</translation>
    </message>
    <message>
        <source>絞り込む(&amp;R)</source>
        <translation>Filte&amp;r</translation>
    </message>
    <message>
        <source>操作(&amp;O)</source>
        <translation>Acti&amp;on</translation>
    </message>
    <message>
        <source>対象(&amp;T)</source>
        <translation>Record &amp;type</translation>
    </message>
    <message>
        <source>検索(&amp;S)</source>
        <translation>&amp;Search</translation>
    </message>
    <message>
        <source>項目</source>
        <translation>Field</translation>
    </message>
    <message>
        <source>変更前</source>
        <translation>Before</translation>
    </message>
    <message>
        <source>変更後</source>
        <translation>After</translation>
    </message>
    <message>
        <source>監査ログが後から書き換えられていないかを、記録の連鎖で確かめた結果です</source>
        <translation>Whether the audit trail was changed afterwards, as its chain of entries shows</translation>
    </message>
    <message>
        <source>監査ログ</source>
        <translation>Audit trail</translation>
    </message>
    <message>
        <source>記録の作成・更新・削除、出力、帳票、取込、同期、ログインの履歴です。</source>
        <translation>Every record created, changed or deleted, and every export, report, import, sync and sign-in.</translation>
    </message>
    <message>
        <source>すべての利用者</source>
        <translation>All users</translation>
    </message>
    <message>
        <source>監査ログを検証中…</source>
        <translation>Verifying the audit trail…</translation>
    </message>
    <message>
        <source>%1件以上</source>
        <translation>%1 or more</translation>
    </message>
    <message>
        <source>%1件</source>
        <translation>%1</translation>
    </message>
    <message>
        <source>変更内容（項目ごとの変更前 → 変更後）</source>
        <translation>Changes (each field before → after)</translation>
    </message>
    <message>
        <source>%1&#x3000;%2&#x3000;%3 %4</source>
        <translation>%1  %2  %3 %4</translation>
    </message>
    <message>
        <source>監査ログをCSVに書き出す</source>
        <translation>Export the audit trail to CSV</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>%1件を書き出しました：%2</source>
        <translation>Wrote %1 entries: %2</translation>
    </message>
</context>
<context>
    <name>AutoBackup</name>
    <message>
        <source>バックアップの暗号化</source>
        <translation>Backup encryption</translation>
    </message>
    <message>
        <source>バックアップを暗号化する合言葉（パスフレーズ）：</source>
        <translation>Passphrase to encrypt the backups:</translation>
    </message>
    <message>
        <source>自動バックアップに失敗しました：%1</source>
        <translation>Automatic backup failed: %1</translation>
    </message>
    <message>
        <source>自動バックアップを保存しました：%1</source>
        <translation>Automatic backup saved: %1</translation>
    </message>
    <message>
        <source>（元のファイル：%1）</source>
        <translation> (previous file: %1)</translation>
    </message>
    <message>
        <source>バックアップから復元しました：%1</source>
        <translation>Restored from the backup %1</translation>
    </message>
</context>
<context>
    <name>BackupModel</name>
    <message>
        <source>作成日時</source>
        <translation>Made at</translation>
    </message>
    <message>
        <source>大きさ</source>
        <translation>Size</translation>
    </message>
    <message>
        <source>暗号化</source>
        <translation>Encrypted</translation>
    </message>
    <message>
        <source>場所</source>
        <translation>Folder</translation>
    </message>
    <message>
        <source>あり</source>
        <translation>yes</translation>
    </message>
    <message>
        <source>なし</source>
        <translation>no</translation>
    </message>
</context>
<context>
    <name>CardPanel</name>
    <message>
        <source>さんの世帯</source>
        <translation>household</translation>
    </message>
    <message>
        <source>⚠ アレルギー：%1</source>
        <translation>⚠ Allergies: %1</translation>
    </message>
    <message>
        <source>大人 %1 人・子ども %2 人</source>
        <translation>%1 adults, %2 children</translation>
    </message>
</context>
<context>
    <name>CheckInDialog</name>
    <message>
        <source>チェックイン（見守りの尺度）</source>
        <translation>Check-in (wellbeing scales)</translation>
    </message>
    <message>
        <source>睡眠</source>
        <translation>Sleep</translation>
    </message>
    <message>
        <source>食欲</source>
        <translation>Appetite</translation>
    </message>
    <message>
        <source>対象者(&amp;P)</source>
        <translation>&amp;Person</translation>
    </message>
    <message>
        <source>日付(&amp;D)</source>
        <translation>&amp;Date</translation>
    </message>
    <message>
        <source>担当(&amp;T)</source>
        <translation>S&amp;taff</translation>
    </message>
    <message>
        <source>体調</source>
        <translation>Health</translation>
    </message>
    <message>
        <source>健康の心配</source>
        <translation>Health worries</translation>
    </message>
    <message>
        <source>メモ</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>（未記入）</source>
        <translation>(not recorded)</translation>
    </message>
    <message>
        <source>良い</source>
        <translation>Good</translation>
    </message>
    <message>
        <source>ふつう</source>
        <translation>Fair</translation>
    </message>
    <message>
        <source>悪い</source>
        <translation>Poor</translation>
    </message>
    <message>
        <source>フォローアップに登録しました</source>
        <translation>Follow-up queued</translation>
    </message>
    <message>
        <source>次の点が基準を超えたため、3日以内の確認をフォローアップに登録しました：
%1</source>
        <translation>These went past a cut-off, so a check within 3 days was queued:
%1</translation>
    </message>
</context>
<context>
    <name>ConflictPanel</name>
    <message>
        <source>解決済みも表示</source>
        <translation>Show settled</translation>
    </message>
    <message>
        <source>こちらを残す</source>
        <translation>Keep mine</translation>
    </message>
    <message>
        <source>相手を採用</source>
        <translation>Take theirs</translation>
    </message>
    <message>
        <source>編集…</source>
        <translation>Edit…</translation>
    </message>
    <message>
        <source>同期の前に両方の端末で編集された項目です。どちらの値も消えていません。正しい方を選ぶと、次の同期で他の端末にも伝わります。</source>
        <translation>These fields were edited on both laptops before they synced. Neither value is lost. Choose the right one and the other laptops learn it at the next sync.</translation>
    </message>
    <message>
        <source>未解決の食い違い：%1 件</source>
        <translation>Open conflicts: %1</translation>
    </message>
    <message>
        <source>一覧で食い違いを選んでください</source>
        <translation>Choose a conflict in the list</translation>
    </message>
    <message>
        <source>%1（%2）の正しい値</source>
        <translation>The right value of %1 (%2)</translation>
    </message>
    <message>
        <source>値を編集</source>
        <translation>Edit the value</translation>
    </message>
</context>
<context>
    <name>ConsentPanel</name>
    <message>
        <source>同意日</source>
        <translation>Consent date</translation>
    </message>
    <message>
        <source>同意者</source>
        <translation>Given by</translation>
    </message>
    <message>
        <source>方法</source>
        <translation>Method</translation>
    </message>
    <message>
        <source>利用目的</source>
        <translation>Purposes</translation>
    </message>
    <message>
        <source>提供先</source>
        <translation>Recipients</translation>
    </message>
    <message>
        <source>情報の種類</source>
        <translation>Data categories</translation>
    </message>
    <message>
        <source>有効期限</source>
        <translation>Expires</translation>
    </message>
    <message>
        <source>撤回日</source>
        <translation>Withdrawn on</translation>
    </message>
    <message>
        <source>担当</source>
        <translation>Staff</translation>
    </message>
    <message>
        <source>新しい同意を記録する(&amp;C)</source>
        <translation>Record new &amp;consent</translation>
    </message>
    <message>
        <source>代理人の氏名</source>
        <translation>Proxy&apos;s name</translation>
    </message>
    <message>
        <source>続柄</source>
        <translation>Relation</translation>
    </message>
    <message>
        <source>担当職員</source>
        <translation>Staff member</translation>
    </message>
    <message>
        <source>現在の同意を撤回する(&amp;W)</source>
        <translation>&amp;Withdraw the current consent</translation>
    </message>
    <message>
        <source>有効な同意があります：%1（%2）</source>
        <translation>Consent in force: %1 (%2)</translation>
    </message>
    <message>
        <source>有効な同意がありません。同意がない世帯の情報は、会場や関係機関と共有できません。</source>
        <translation>No consent in force. Without consent, this household&apos;s data cannot be shared with venues or agencies.</translation>
    </message>
</context>
<context>
    <name>CounterView</name>
    <message>
        <source>担当者名</source>
        <translation>Staff name</translation>
    </message>
    <message>
        <source>過去の日付：紙の名簿からの入力です</source>
        <translation>Past date: keying in a paper roster</translation>
    </message>
    <message>
        <source>世帯番号を入力、または世帯カードのQRを読み取り → Enter</source>
        <translation>Type the case number or scan the card&apos;s QR code, then Enter</translation>
    </message>
    <message>
        <source>ルールの例外として記録する理由を書いて Enter（Escで取りやめ）</source>
        <translation>Write why this is an exception and press Enter (Esc to drop it)</translation>
    </message>
    <message>
        <source>世帯番号 → Enter</source>
        <translation>Case number → Enter</translation>
    </message>
    <message>
        <source>直前の記録を取り消す (Ctrl+Z)</source>
        <translation>Undo the last entry (Ctrl+Z)</translation>
    </message>
    <message>
        <source>登録外の人数を記録(&amp;G)</source>
        <translation>Log unregistered &amp;guests</translation>
    </message>
    <message>
        <source>この会場のルール(&amp;U)…</source>
        <translation>Venue r&amp;ules…</translation>
    </message>
    <message>
        <source>時刻</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>世帯・種別</source>
        <translation>Household / type</translation>
    </message>
    <message>
        <source>大人</source>
        <translation>Adults</translation>
    </message>
    <message>
        <source>子ども</source>
        <translation>Children</translation>
    </message>
    <message>
        <source>例外の理由</source>
        <translation>Exception note</translation>
    </message>
    <message>
        <source>会場</source>
        <translation>Venue</translation>
    </message>
    <message>
        <source>日付</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>種別</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>担当</source>
        <translation>Staff</translation>
    </message>
    <message>
        <source>登録外：大人</source>
        <translation>Unregistered: adults</translation>
    </message>
    <message>
        <source>この回の記録</source>
        <translation>This session</translation>
    </message>
    <message>
        <source>名簿（来た人にチェック）</source>
        <translation>Roster (tick who came)</translation>
    </message>
    <message>
        <source>%1 件・%2 人</source>
        <translation>Entries: %1, people: %2</translation>
    </message>
    <message>
        <source>会場を選んでください</source>
        <translation>Choose the venue</translation>
    </message>
    <message>
        <source>同じ世帯の2回目です</source>
        <translation>Second time for this household</translation>
    </message>
    <message>
        <source>どの世帯ですか？</source>
        <translation>Which household?</translation>
    </message>
    <message>
        <source>記録しました：%1</source>
        <translation>Logged: %1</translation>
    </message>
    <message>
        <source>（例外：%1）</source>
        <translation> (exception: %1)</translation>
    </message>
    <message>
        <source>取り消しました：%1</source>
        <translation>Undone: %1</translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <source>支援中の世帯</source>
        <translation>Active households</translation>
    </message>
    <message>
        <source>支援中の人数</source>
        <translation>People supported</translation>
    </message>
    <message>
        <source>今週の食事提供（回）</source>
        <translation>Meals served this week</translation>
    </message>
    <message>
        <source>チェックイン予定（30日以上未実施）</source>
        <translation>Check-ins due (none for 30 days)</translation>
    </message>
    <message>
        <source>期限切れのフォローアップ</source>
        <translation>Overdue follow-ups</translation>
    </message>
    <message>
        <source>要注意の世帯（理由つき）</source>
        <translation>Households at risk, with reasons</translation>
    </message>
    <message>
        <source>週ごとの食事提供（回・会場別の上位6会場）</source>
        <translation>Meals per week (top 6 venues)</translation>
    </message>
    <message>
        <source>要注意の世帯数の推移（週ごと）</source>
        <translation>Households at risk, weekly</translation>
    </message>
    <message>
        <source>高</source>
        <translation>High</translation>
    </message>
    <message>
        <source>注意</source>
        <translation>Watch</translation>
    </message>
</context>
<context>
    <name>DateField</name>
    <message>
        <source>例：S20.5.3、昭和20年5月3日、1945-05-03</source>
        <translation>e.g. S20.5.3, 昭和20年5月3日, 1945-05-03</translation>
    </message>
</context>
<context>
    <name>EndAssignmentForm</name>
    <message>
        <source>例：2024-06-30、R6.6.30</source>
        <translation>e.g. 2024-06-30, R6.6.30</translation>
    </message>
    <message>
        <source>例：仮設住宅へ転居、家族の希望</source>
        <translation>e.g. moved to temporary housing, the family&apos;s wish</translation>
    </message>
    <message>
        <source>終了を登録</source>
        <translation>Record the end</translation>
    </message>
    <message>
        <source>やめる</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>終了日</source>
        <translation>End date</translation>
    </message>
    <message>
        <source>終了の理由</source>
        <translation>Reason for ending</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>エラー</source>
        <translation>Error</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>同期ファイルを作る</source>
        <translation>Make a sync file</translation>
    </message>
    <message>
        <source>例：輪島会場ノート</source>
        <translation>e.g. Wajima venue laptop</translation>
    </message>
    <message>
        <source>全件</source>
        <translation>Everything</translation>
    </message>
    <message>
        <source>参照(&amp;B)…</source>
        <translation>&amp;Browse…</translation>
    </message>
    <message>
        <source>%1文字以上</source>
        <translation>at least %1 characters</translation>
    </message>
    <message>
        <source>作成(&amp;G)</source>
        <translation>&amp;Make</translation>
    </message>
    <message>
        <source>中止</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>閉じる</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>会場用の端末には、その会場に必要な最小限（利用者の氏名・アレルゲン・食事の記録など）だけを渡します。</source>
        <translation>A venue laptop gets only the minimum that venue needs (names, allergens, meal records and the like).</translation>
    </message>
    <message>
        <source>合言葉はチームで決めたものを使い、ファイルとは別の方法（口頭・電話など）で伝えてください。</source>
        <translation>Use the team&apos;s passphrase and pass it on separately from the file (in person or by phone).</translation>
    </message>
    <message>
        <source>相手の端末名(&amp;N)</source>
        <translation>Other &amp;laptop</translation>
    </message>
    <message>
        <source>範囲(&amp;S)</source>
        <translation>&amp;Scope</translation>
    </message>
    <message>
        <source>保存先(&amp;F)</source>
        <translation>Save &amp;to</translation>
    </message>
    <message>
        <source>合言葉(&amp;P)</source>
        <translation>&amp;Passphrase</translation>
    </message>
    <message>
        <source>合言葉（確認）(&amp;C)</source>
        <translation>&amp;Confirm passphrase</translation>
    </message>
    <message>
        <source>同期ファイルの保存先</source>
        <translation>Where to save the sync file</translation>
    </message>
    <message>
        <source>同期ファイル (*.evsync)</source>
        <translation>Sync files (*.evsync)</translation>
    </message>
    <message>
        <source>保存先のファイルを指定してください</source>
        <translation>Choose the file to save to</translation>
    </message>
    <message>
        <source>確認のために入力した合言葉が一致しません</source>
        <translation>The two passphrases do not match</translation>
    </message>
    <message>
        <source>%1 はすでにあります。上書きしますか？</source>
        <translation>%1 already exists. Replace it?</translation>
    </message>
    <message>
        <source>作成しています…</source>
        <translation>Making the file…</translation>
    </message>
    <message>
        <source>%1 宛ての変更 %2 件を書き出しました：%3</source>
        <translation>Wrote %2 changes for %1 to %3</translation>
    </message>
    <message>
        <source>（会場：%1）</source>
        <translation> (venue: %1)</translation>
    </message>
    <message>
        <source>このファイルをUSBメモリやメールで相手に渡し、相手の端末で読み込んでください。</source>
        <translation>Hand this file over by USB stick or email and read it on the other laptop.</translation>
    </message>
    <message>
        <source>中止しました。同期ファイルは作っていません</source>
        <translation>Cancelled; no sync file was made</translation>
    </message>
</context>
<context>
    <name>FirstAdminDialog</name>
    <message>
        <source>最初の管理者の登録</source>
        <translation>Create the first administrator</translation>
    </message>
    <message>
        <source>このデータベースにはまだ利用者がいません。管理者のアカウントを作ってください。管理者はほかの利用者（コーディネーター・会場スタッフ・閲覧者）を追加できます。</source>
        <translation>This database has no accounts yet. Create the administrator&apos;s account; the administrator can then add coordinators, venue staff and viewers.</translation>
    </message>
    <message>
        <source>会場用の同期ファイルを読み込みましたが、この会場のスタッフのアカウントは含まれていませんでした。記録を開く前に、このノートPCの管理者のアカウントを作ってください。管理者はほかの利用者（コーディネーター・会場スタッフ・閲覧者）を追加できます。</source>
        <translation>The venue&apos;s sync file has been read, but it held none of the venue&apos;s staff accounts. Before the records open, create this laptop&apos;s administrator account; the administrator can then add coordinators, venue staff and viewers.</translation>
    </message>
    <message>
        <source>このデータベースには世帯の記録がありますが、利用者のアカウントがありません。記録を開く前に、管理者のアカウントを作ってください。管理者はほかの利用者（コーディネーター・会場スタッフ・閲覧者）を追加できます。</source>
        <translation>This database holds households but no accounts. Before the records open, create the administrator&apos;s account; the administrator can then add coordinators, venue staff and viewers.</translation>
    </message>
    <message>
        <source>会場用の同期ファイルから始める…</source>
        <translation>Start from a venue sync file…</translation>
    </message>
    <message>
        <source>会場のノートPCは、事務所で作った会場用の同期ファイルを読み込んで始めます。</source>
        <translation>A venue laptop starts by reading the venue sync file made at the office.</translation>
    </message>
    <message>
        <source>利用者名（英数字）</source>
        <translation>User name (letters and digits)</translation>
    </message>
    <message>
        <source>表示名</source>
        <translation>Display name</translation>
    </message>
    <message>
        <source>パスワード（8文字以上）</source>
        <translation>Password (8 characters or more)</translation>
    </message>
    <message>
        <source>パスワード（確認）</source>
        <translation>Password (again)</translation>
    </message>
    <message>
        <source>会場用の同期ファイルを選ぶ</source>
        <translation>Choose the venue sync file</translation>
    </message>
    <message>
        <source>同期ファイル (*.evsync)</source>
        <translation>Sync files (*.evsync)</translation>
    </message>
    <message>
        <source>合言葉</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <source>チームの合言葉（パスフレーズ）：</source>
        <translation>The team&apos;s passphrase:</translation>
    </message>
    <message>
        <source>同期ファイルの確認</source>
        <translation>Check the sync file</translation>
    </message>
    <message>
        <source>読み込みませんでした。何も変更していません</source>
        <translation>Not read; nothing was changed</translation>
    </message>
    <message>
        <source>事務所で、この端末のために作ってもらったファイルであることを確かめてから読み込んでください。読み込みますか？</source>
        <translation>Read it only if the office made this file for this laptop. Read it?</translation>
    </message>
</context>
<context>
    <name>FollowUpQueueView</name>
    <message>
        <source>期限</source>
        <translation>Due</translation>
    </message>
    <message>
        <source>遅れ(日)</source>
        <translation>Late (days)</translation>
    </message>
    <message>
        <source>世帯番号</source>
        <translation>Case number</translation>
    </message>
    <message>
        <source>世帯主</source>
        <translation>Head of household</translation>
    </message>
    <message>
        <source>理由</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>担当</source>
        <translation>Staff</translation>
    </message>
    <message>
        <source>きっかけ</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>選んだフォローアップの結果（例：電話で様子を確認、来週会場で会う約束）</source>
        <translation>Outcome of the selected follow-up (e.g. called, all well; meeting at the venue next week)</translation>
    </message>
    <message>
        <source>完了にする(&amp;D)</source>
        <translation>Mark &amp;done</translation>
    </message>
    <message>
        <source>要注意の世帯からフォローアップを作成(&amp;R)</source>
        <translation>Create follow-ups for households at &amp;risk</translation>
    </message>
    <message>
        <source>結果</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <source>未対応 %1 件（うち期限切れ %2 件）</source>
        <translation>%1 open (%2 overdue)</translation>
    </message>
    <message>
        <source>完了にするフォローアップを一覧で選んでください</source>
        <translation>Select the follow-up to close in the list</translation>
    </message>
    <message>
        <source>フォローアップを作成しました</source>
        <translation>Follow-ups created</translation>
    </message>
    <message>
        <source>要注意（高）の世帯に %1 件のフォローアップを作成しました。</source>
        <translation>Created %1 follow-ups for high-risk households.</translation>
    </message>
</context>
<context>
    <name>FormDialog</name>
    <message>
        <source>終了の確認</source>
        <translation>Quit?</translation>
    </message>
    <message>
        <source>終了しますか？</source>
        <translation>Quit the app?</translation>
    </message>
</context>
<context>
    <name>HouseholdEditor</name>
    <message>
        <source>世帯員</source>
        <translation>Members</translation>
    </message>
    <message>
        <source>基本情報・世帯員</source>
        <translation>Household and members</translation>
    </message>
    <message>
        <source>同意</source>
        <translation>Consent</translation>
    </message>
    <message>
        <source>住居履歴</source>
        <translation>Residence history</translation>
    </message>
    <message>
        <source>保存(&amp;S)</source>
        <translation>&amp;Save</translation>
    </message>
    <message>
        <source>キャンセル</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>この世帯の個人情報を消去…</source>
        <translation>Erase this household&apos;s personal data…</translation>
    </message>
    <message>
        <source>世帯の登録</source>
        <translation>Register a household</translation>
    </message>
    <message>
        <source>世帯の編集：%1 %2</source>
        <translation>Edit household: %1 %2</translation>
    </message>
    <message>
        <source>会場の利用</source>
        <translation>Venues</translation>
    </message>
    <message numerus="yes">
        <source>%n 件の入力を確認してください</source>
        <translation>
            <numerusform>Check %n field(s)</numerusform>
            <numerusform>Check %n field(s)</numerusform>
        </translation>
    </message>
    <message>
        <source>同じ人が登録されている可能性があります</source>
        <translation>This person may already be registered</translation>
    </message>
    <message>
        <source>同じフリガナと生年月日の人がすでに登録されています：
%1

このまま保存しますか？</source>
        <translation>A person with the same furigana and birth date is already registered:
%1

Save anyway?</translation>
    </message>
    <message>
        <source>個人情報の消去</source>
        <translation>Erase personal data</translation>
    </message>
    <message>
        <source>氏名・連絡先・記録の本文などを消去します（件数は残ります）。元に戻せません。
確認のため世帯番号 %1 を入力してください：</source>
        <translation>Names, contact details and the text of records will be erased (counts are kept). This cannot be undone.
Type the case number %1 to confirm:</translation>
    </message>
    <message>
        <source>世帯番号が一致しません</source>
        <translation>The case number does not match</translation>
    </message>
    <message>
        <source>%1 の個人情報を消去しました</source>
        <translation>Erased the personal data of %1</translation>
    </message>
</context>
<context>
    <name>HouseholdForm</name>
    <message>
        <source>空欄なら自動で採番（例：N24-000123）</source>
        <translation>Leave empty to number automatically (e.g. N24-000123)</translation>
    </message>
    <message>
        <source>例：石川県輪島市河井町1-1</source>
        <translation>e.g. 石川県輪島市河井町1-1</translation>
    </message>
    <message>
        <source>例：920-0961（住所を自動入力）</source>
        <translation>e.g. 920-0961 (fills in the address)</translation>
    </message>
    <message>
        <source>空欄なら現住所の位置。直すときは 36.5613, 136.6562 か地図のリンク</source>
        <translation>Empty: the current address&apos;s point. To correct it: 36.5613, 136.6562 or a map link</translation>
    </message>
    <message>
        <source>例：090-1234-5678</source>
        <translation>e.g. 090-1234-5678</translation>
    </message>
    <message>
        <source>世帯番号</source>
        <translation>Case number</translation>
    </message>
    <message>
        <source>避難形態(&amp;E)</source>
        <translation>&amp;Evacuation status</translation>
    </message>
    <message>
        <source>避難元（市町・住所）(&amp;O)</source>
        <translation>&amp;Origin (municipality, address)</translation>
    </message>
    <message>
        <source>郵便番号(&amp;P)</source>
        <translation>&amp;Postal code</translation>
    </message>
    <message>
        <source>現住所(&amp;U)</source>
        <translation>C&amp;urrent address</translation>
    </message>
    <message>
        <source>位置（緯度経度）</source>
        <translation>Location (lat, long)</translation>
    </message>
    <message>
        <source>緯度 %1、経度 %2（入力された位置）</source>
        <translation>Latitude %1, longitude %2 (as entered)</translation>
    </message>
    <message>
        <source>およその位置：</source>
        <translation>Approximate: </translation>
    </message>
    <message>
        <source>現住所か郵便番号を入れると位置が決まります</source>
        <translation>Enter the current address or postal code to place the household</translation>
    </message>
    <message>
        <source>電話番号(&amp;T)</source>
        <translation>&amp;Telephone</translation>
    </message>
    <message>
        <source>備考</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>避難形態の変更は「住居履歴」で転居として記録します</source>
        <translation>Record a change of status as a move under Residence history</translation>
    </message>
</context>
<context>
    <name>HouseholdListView</name>
    <message>
        <source>氏名・フリガナ・世帯番号・電話番号で検索（ひらがな・半角も可）</source>
        <translation>Search by name, furigana, case number or phone (hiragana and half-width accepted)</translation>
    </message>
    <message>
        <source>新しい世帯(&amp;N)</source>
        <translation>&amp;New household</translation>
    </message>
    <message>
        <source>避難形態：すべて</source>
        <translation>Status: all</translation>
    </message>
    <message>
        <source>避難元：すべて</source>
        <translation>Origin: all</translation>
    </message>
    <message>
        <source>要注意のみ(&amp;R)</source>
        <translation>At &amp;risk only</translation>
    </message>
    <message>
        <source>%1日以上接触なし(&amp;U)</source>
        <translation>&amp;Unseen for %1+ days</translation>
    </message>
    <message>
        <source>検索(&amp;F)</source>
        <translation>&amp;Find</translation>
    </message>
    <message>
        <source>全件を読み込み中…</source>
        <translation>loading every household…</translation>
    </message>
    <message>
        <source>読み込み中…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <source>会場：すべて</source>
        <translation>Venue: all</translation>
    </message>
    <message>
        <source>%1 / %2 世帯</source>
        <translation>%1 / %2 households</translation>
    </message>
</context>
<context>
    <name>HouseholdPicker</name>
    <message>
        <source>氏名・フリガナ・世帯番号・電話番号の一部</source>
        <translation>Part of a name, furigana, case number or phone number</translation>
    </message>
    <message>
        <source>世帯を検索(&amp;F)</source>
        <translation>&amp;Find a household</translation>
    </message>
    <message>
        <source>世帯番号</source>
        <translation>Case number</translation>
    </message>
    <message>
        <source>世帯主</source>
        <translation>Head of household</translation>
    </message>
    <message>
        <source>フリガナ</source>
        <translation>Furigana</translation>
    </message>
    <message>
        <source>人数</source>
        <translation>People</translation>
    </message>
    <message>
        <source>電話番号</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>該当する世帯がありません</source>
        <translation>No household matches</translation>
    </message>
    <message>
        <source>上位 %1 件を表示しています。絞り込んでください</source>
        <translation>Showing the first %1; type more to narrow the search</translation>
    </message>
</context>
<context>
    <name>HouseholdTableModel</name>
    <message>
        <source>世帯番号</source>
        <translation>Case number</translation>
    </message>
    <message>
        <source>世帯主</source>
        <translation>Head of household</translation>
    </message>
    <message>
        <source>フリガナ</source>
        <translation>Furigana</translation>
    </message>
    <message>
        <source>人数</source>
        <translation>People</translation>
    </message>
    <message>
        <source>避難元</source>
        <translation>Origin</translation>
    </message>
    <message>
        <source>避難形態</source>
        <translation>Evacuation status</translation>
    </message>
    <message>
        <source>利用会場</source>
        <translation>Venue</translation>
    </message>
    <message>
        <source>最終接触</source>
        <translation>Last contact</translation>
    </message>
    <message>
        <source>要注意</source>
        <translation>Risk</translation>
    </message>
    <message>
        <source>支援終了</source>
        <translation>Closed</translation>
    </message>
    <message>
        <source>高</source>
        <translation>High</translation>
    </message>
    <message>
        <source>注意</source>
        <translation>Watch</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>名簿の取り込み（CSV・Excel）</source>
        <translation>Import lists (CSV, Excel)</translation>
    </message>
    <message>
        <source>世帯・世帯員の名簿（1人1行）</source>
        <translation>Households and members (one person per row)</translation>
    </message>
    <message>
        <source>会場の一覧</source>
        <translation>Venues</translation>
    </message>
    <message>
        <source>食事の記録</source>
        <translation>Meal logs</translation>
    </message>
    <message>
        <source>参照(&amp;B)…</source>
        <translation>&amp;Browse…</translation>
    </message>
    <message>
        <source>誤りのある行を除いて取り込む（除いた行は別ファイルに保存）</source>
        <translation>Import without the rows in error (they are saved to a separate file)</translation>
    </message>
    <message>
        <source>内容を確認(&amp;C)</source>
        <translation>&amp;Check</translation>
    </message>
    <message>
        <source>取り込む(&amp;I)</source>
        <translation>&amp;Import</translation>
    </message>
    <message>
        <source>中止</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>閉じる</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>選択肢にない値(&amp;M)：取り込む値を選ぶと、その値の行をすべて取り込めます（F2 キーで選択、次回も同じ名前のファイルに使います）</source>
        <translation>Values that are not choices (&amp;M): pick what each is imported as and every row with it is imported (F2 to choose; used again for the next file of the same name)</translation>
    </message>
    <message>
        <source>種類(&amp;K)</source>
        <translation>&amp;Kind</translation>
    </message>
    <message>
        <source>ファイル(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>取り込むファイル</source>
        <translation>File to import</translation>
    </message>
    <message>
        <source>名簿 (*.csv *.xlsx);;すべてのファイル (*)</source>
        <translation>Lists (*.csv *.xlsx);;All files (*)</translation>
    </message>
    <message>
        <source>対応付けを変えました。「内容を確認」を押すと、この対応付けで確かめ直します。</source>
        <translation>The mapping has changed. Press “Check” to check the file again with it.</translation>
    </message>
    <message>
        <source>新規 %1・更新 %2・変更なし %3・誤りのある行 %4</source>
        <translation>New %1, updated %2, unchanged %3, rows in error %4</translation>
    </message>
    <message>
        <source>選択肢にない値が %1 種類あります。下の表で取り込む値を選べます。</source>
        <translation>Values that are not choices: %1. Choose what each is imported as in the table below.</translation>
    </message>
    <message>
        <source>行</source>
        <translation>Row </translation>
    </message>
    <message>
        <source>対応付けを保存できませんでした（%1）。次回もう一度選んでください。</source>
        <translation>Could not save the mapping (%1); choose it again next time.</translation>
    </message>
    <message>
        <source>確認の結果（まだ保存していません）：</source>
        <translation>Check result (nothing saved yet): </translation>
    </message>
    <message>
        <source>取り込みました：</source>
        <translation>Imported: </translation>
    </message>
    <message>
        <source>除いた行：%1</source>
        <translation>Rows left out: %1</translation>
    </message>
</context>
<context>
    <name>InstrumentBox</name>
    <message>
        <source>（未回答）</source>
        <translation>(not answered)</translation>
    </message>
    <message>
        <source>＊フォローアップの対象</source>
        <translation>* followed up</translation>
    </message>
    <message>
        <source>未回答</source>
        <translation>Not answered</translation>
    </message>
    <message>
        <source>すべての項目に回答すると合計が出ます</source>
        <translation>Answer every item to see the total</translation>
    </message>
    <message>
        <source>回答：%1</source>
        <translation>Answer: %1</translation>
    </message>
    <message>
        <source>合計 %1 点（%2〜%3）</source>
        <translation>Total %1 (range %2-%3)</translation>
    </message>
    <message>
        <source>（フォローアップの対象）</source>
        <translation> (followed up)</translation>
    </message>
</context>
<context>
    <name>KeyDialog</name>
    <message>
        <source>データベースの鍵</source>
        <translation>Database key</translation>
    </message>
    <message>
        <source>このデータベースは暗号化されています。鍵（パスフレーズ）を入力してください。
%1</source>
        <translation>This database is encrypted. Enter its key (passphrase).
%1</translation>
    </message>
    <message>
        <source>鍵</source>
        <translation>Key</translation>
    </message>
</context>
<context>
    <name>LineChart</name>
    <message>
        <source>記録がありません</source>
        <translation>No records</translation>
    </message>
    <message>
        <source>表示できませんでした</source>
        <translation>Could not be shown</translation>
    </message>
</context>
<context>
    <name>LockDialog</name>
    <message>
        <source>画面をロックしました</source>
        <translation>Window locked</translation>
    </message>
    <message>
        <source>しばらく操作がなかったため、画面をロックしました。%1 さんのパスワードを入力してください。</source>
        <translation>The window was locked after a while without use. Enter the password of %1.</translation>
    </message>
    <message>
        <source>パスワード</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>終了</source>
        <translation>Quit</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>ログイン</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <source>利用者名とパスワードを入力してください。</source>
        <translation>Enter your user name and password.</translation>
    </message>
    <message>
        <source>利用者名</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>パスワード</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>データベース：%1</source>
        <translation>Database: %1</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>evacsupport 避難者支援ケース管理</source>
        <translation>evacsupport: evacuee support case management</translation>
    </message>
    <message>
        <source>データベース：%1</source>
        <translation>Database: %1</translation>
    </message>
    <message>
        <source>利用者：%1</source>
        <translation>User: %1</translation>
    </message>
    <message>
        <source>受付（食事の記録）</source>
        <translation>Counter (log meals)</translation>
    </message>
    <message>
        <source>最近の食事提供</source>
        <translation>Recent meals served</translation>
    </message>
    <message>
        <source>ファイル(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>新規登録(&amp;N)</source>
        <translation>&amp;New…</translation>
    </message>
    <message>
        <source>名簿を取り込む(&amp;I)…</source>
        <translation>&amp;Import lists…</translation>
    </message>
    <message>
        <source>データベースを開く(&amp;O)…</source>
        <translation>&amp;Open database…</translation>
    </message>
    <message>
        <source>新しいデータベース(&amp;W)…</source>
        <translation>Ne&amp;w database…</translation>
    </message>
    <message>
        <source>バックアップを保存(&amp;B)…</source>
        <translation>Save &amp;backup…</translation>
    </message>
    <message>
        <source>バックアップから復元(&amp;E)…</source>
        <translation>R&amp;estore from a backup…</translation>
    </message>
    <message>
        <source>データベースを暗号化(&amp;K)…</source>
        <translation>Encrypt the database (&amp;K)…</translation>
    </message>
    <message>
        <source>保存期間を過ぎた世帯の消去(&amp;P)…</source>
        <translation>Erase households past &amp;retention…</translation>
    </message>
    <message>
        <source>設定(&amp;T)…</source>
        <translation>Se&amp;ttings…</translation>
    </message>
    <message>
        <source>終了(&amp;Q)</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>表示(&amp;V)</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <source>世帯を検索(&amp;S)</source>
        <translation>&amp;Search households</translation>
    </message>
    <message>
        <source>最新の情報に更新(&amp;R)</source>
        <translation>&amp;Refresh</translation>
    </message>
    <message>
        <source>表示言語(&amp;L)</source>
        <translation>&amp;Language</translation>
    </message>
    <message>
        <source>会場(&amp;A)</source>
        <translation>Ven&amp;ues</translation>
    </message>
    <message>
        <source>一括割り当て(&amp;L)…</source>
        <translation>Bu&amp;lk allocation…</translation>
    </message>
    <message>
        <source>ヘルプ(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>データフォルダを開く(&amp;D)</source>
        <translation>Open &amp;data folder</translation>
    </message>
    <message>
        <source>このアプリについて(&amp;A)</source>
        <translation>&amp;About</translation>
    </message>
    <message>
        <source>ダッシュボード</source>
        <translation>Dashboard</translation>
    </message>
    <message>
        <source>世帯</source>
        <translation>Households</translation>
    </message>
    <message>
        <source>会場</source>
        <translation>Venues</translation>
    </message>
    <message>
        <source>食事</source>
        <translation>Meals</translation>
    </message>
    <message>
        <source>訪問・チェックイン</source>
        <translation>Visits &amp; check-ins</translation>
    </message>
    <message>
        <source>フォローアップ</source>
        <translation>Follow-ups</translation>
    </message>
    <message>
        <source>集計・報告</source>
        <translation>Summary &amp; reports</translation>
    </message>
    <message>
        <source>同期</source>
        <translation>Sync</translation>
    </message>
    <message>
        <source>監査ログ</source>
        <translation>Audit trail</translation>
    </message>
    <message>
        <source>表示言語</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>表示言語を変更しました。次回の起動から反映されます。
The language will change the next time the app starts.</source>
        <translation>表示言語を変更しました。次回の起動から反映されます。
The language will change the next time the app starts.</translation>
    </message>
    <message>
        <source>データベースを開く</source>
        <translation>Open database</translation>
    </message>
    <message>
        <source>データベース (*.sqlite3 *.sqlite *.db);;すべてのファイル (*)</source>
        <translation>Databases (*.sqlite3 *.sqlite *.db);;All files (*)</translation>
    </message>
    <message>
        <source>新しいデータベース</source>
        <translation>New database</translation>
    </message>
    <message>
        <source>データベース (*.sqlite3)</source>
        <translation>Databases (*.sqlite3)</translation>
    </message>
    <message>
        <source>同じ名前のファイルがあります。別の名前を指定してください。</source>
        <translation>A file with that name exists; choose another name.</translation>
    </message>
    <message>
        <source>バックアップを保存</source>
        <translation>Save backup</translation>
    </message>
    <message>
        <source>バックアップを保存しました：%1</source>
        <translation>Backup saved: %1</translation>
    </message>
    <message>
        <source>設定を保存しました。</source>
        <translation>Settings saved.</translation>
    </message>
    <message>
        <source>データベースの暗号化</source>
        <translation>Encrypt the database</translation>
    </message>
    <message>
        <source>このデータベースは暗号化済みです。</source>
        <translation>This database is already encrypted.</translation>
    </message>
    <message>
        <source>データベースを暗号化しました：%1</source>
        <translation>Encrypted the database: %1</translation>
    </message>
</context>
<context>
    <name>MapPanel</name>
    <message>
        <source>割り当てる世帯</source>
        <translation>Household to place</translation>
    </message>
    <message>
        <source>割り当てられない世帯</source>
        <translation>Household that cannot be placed</translation>
    </message>
    <message>
        <source>およその位置（郵便番号・市区町村の代表点）</source>
        <translation>approximate location (a postal area&apos;s or municipality&apos;s point)</translation>
    </message>
    <message>
        <source>会場</source>
        <translation>Venue</translation>
    </message>
    <message>
        <source>世帯を選ぶと、利用できる会場が緑の枠になります（ホイールで拡大）</source>
        <translation>Select a household to outline in green the venues it can use (wheel zooms)</translation>
    </message>
    <message>
        <source>%1（%2人）</source>
        <translation>%1 (%2 people)</translation>
    </message>
    <message>
        <source>およその位置：%1の代表点</source>
        <translation>approximate location: the %1&apos;s point</translation>
    </message>
    <message>
        <source>%1（%2 / %3 人）</source>
        <translation>%1 (%2 / %3 people)</translation>
    </message>
</context>
<context>
    <name>MappingModel</name>
    <message>
        <source>列</source>
        <translation>Column</translation>
    </message>
    <message>
        <source>ファイルの値</source>
        <translation>Value in the file</translation>
    </message>
    <message>
        <source>行数</source>
        <translation>Rows</translation>
    </message>
    <message>
        <source>取り込む値</source>
        <translation>Import as</translation>
    </message>
    <message>
        <source>（取り込まない）</source>
        <translation>(not imported)</translation>
    </message>
    <message>
        <source>F2 キーかダブルクリックで選びます。「（取り込まない）」のままの値の行は取り込みません</source>
        <translation>Press F2 or double-click to choose. Rows whose value stays “(not imported)” are not imported.</translation>
    </message>
</context>
<context>
    <name>MealRulesDialog</name>
    <message>
        <source>受付のルール：%1</source>
        <translation>Counter rules: %1</translation>
    </message>
    <message>
        <source>1人1日あたりの上限（0は制限なし）</source>
        <translation>Per person per day (0 = no limit)</translation>
    </message>
    <message>
        <source> 回</source>
        <translation> times</translation>
    </message>
    <message>
        <source> 分</source>
        <translation> min</translation>
    </message>
    <message>
        <source>同じ日に重ねられない組み合わせ</source>
        <translation>Not on the same day</translation>
    </message>
    <message>
        <source>次の食事までの最短間隔（0は制限なし）</source>
        <translation>Shortest time between meals (0 = none)</translation>
    </message>
</context>
<context>
    <name>MemberPanel</name>
    <message>
        <source>続柄</source>
        <translation>Relation</translation>
    </message>
    <message>
        <source>氏名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>フリガナ</source>
        <translation>Furigana</translation>
    </message>
    <message>
        <source>生年月日</source>
        <translation>Birth date</translation>
    </message>
    <message>
        <source>年齢</source>
        <translation>Age</translation>
    </message>
    <message>
        <source>アレルギー</source>
        <translation>Allergies</translation>
    </message>
    <message>
        <source>世帯員を追加(&amp;A)</source>
        <translation>&amp;Add member</translation>
    </message>
    <message>
        <source>この世帯員を削除(&amp;D)</source>
        <translation>&amp;Delete this member</translation>
    </message>
    <message>
        <source>世帯主にする(&amp;H)</source>
        <translation>Make &amp;head</translation>
    </message>
    <message>
        <source>カタカナ（ひらがな可）</source>
        <translation>Katakana (hiragana accepted)</translation>
    </message>
    <message>
        <source>車椅子を使う</source>
        <translation>Uses a wheelchair</translation>
    </message>
    <message>
        <source>要配慮個人情報：同意がある場合のみ記入</source>
        <translation>Sensitive data: only with consent</translation>
    </message>
    <message>
        <source>氏名（姓・名）(&amp;M)</source>
        <translation>Na&amp;me (family, given)</translation>
    </message>
    <message>
        <source>フリガナ（セイ・メイ）</source>
        <translation>Furigana (family, given)</translation>
    </message>
    <message>
        <source>続柄・性別・介護</source>
        <translation>Relation, sex, care</translation>
    </message>
    <message>
        <source>食事の配慮</source>
        <translation>Dietary needs</translation>
    </message>
    <message>
        <source>既往歴・障害</source>
        <translation>Medical/disability</translation>
    </message>
    <message>
        <source>電話</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>言語</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>連絡先</source>
        <translation>Contact</translation>
    </message>
</context>
<context>
    <name>NewKeyDialog</name>
    <message>
        <source>新しいデータベース</source>
        <translation>New database</translation>
    </message>
    <message>
        <source>データベースの暗号化</source>
        <translation>Encrypt the database</translation>
    </message>
    <message>
        <source>データベースを暗号化すると、ノートパソコンをなくしてもファイルから個人情報を読まれません。鍵（パスフレーズ、8文字以上）は保存されず、起動のたびに入力します。鍵を忘れるとデータは戻せません。紙に書いて安全な場所に保管してください。
%1</source>
        <translation>Encrypting the database keeps personal data in the file unreadable if the laptop is lost. The key (passphrase, 8 characters or more) is not stored: you type it at each start. A forgotten key cannot be recovered, and neither can the data: write it on paper and keep it somewhere safe.
%1</translation>
    </message>
    <message>
        <source>新しい鍵</source>
        <translation>New key</translation>
    </message>
    <message>
        <source>もう一度</source>
        <translation>Again</translation>
    </message>
    <message>
        <source>暗号化する（おすすめ）</source>
        <translation>Encrypt (recommended)</translation>
    </message>
</context>
<context>
    <name>Operations</name>
    <message>
        <source>保存しています…（取り込みなど、先の書き込みの終わりを待っています）</source>
        <translation>Saving… (waiting for an earlier write, such as an import, to finish)</translation>
    </message>
    <message>
        <source>保存を待っています</source>
        <translation>Waiting to save</translation>
    </message>
</context>
<context>
    <name>Overview</name>
    <message>
        <source>要注意</source>
        <translation>Risk</translation>
    </message>
    <message>
        <source>世帯番号</source>
        <translation>Case number</translation>
    </message>
    <message>
        <source>世帯主</source>
        <translation>Head of household</translation>
    </message>
    <message>
        <source>最終接触</source>
        <translation>Last contact</translation>
    </message>
    <message>
        <source>理由</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>高</source>
        <translation>High</translation>
    </message>
    <message>
        <source>注意</source>
        <translation>Watch</translation>
    </message>
    <message>
        <source>避難元</source>
        <translation>Origin</translation>
    </message>
    <message>
        <source>世帯</source>
        <translation>Households</translation>
    </message>
    <message>
        <source>人数</source>
        <translation>People</translation>
    </message>
</context>
<context>
    <name>PointPicker</name>
    <message>
        <source>地図で選ぶ…</source>
        <translation>Pick on map…</translation>
    </message>
    <message>
        <source>地図をクリックして位置を決めます（住所で位置が決まらないときなど）</source>
        <translation>Click on a map to set the location (when the address does not give one, say)</translation>
    </message>
</context>
<context>
    <name>PointPickerDialog</name>
    <message>
        <source>地図で位置を選ぶ</source>
        <translation>Pick the location on the map</translation>
    </message>
    <message>
        <source>地図をクリックした所を位置にします。矢印キーで動かし、＋／－（ホイール）で拡大・縮小、ドラッグで地図を動かせます。Enter で決定します。</source>
        <translation>Click the map where the place is. Arrow keys move the pin, + and - (or the wheel) zoom, dragging moves the map. Enter takes the point.</translation>
    </message>
    <message>
        <source>この位置にする</source>
        <translation>Use this location</translation>
    </message>
    <message>
        <source>キャンセル</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>北緯 %1、東経 %2</source>
        <translation>Latitude %1, longitude %2</translation>
    </message>
    <message>
        <source>（%1 付近）</source>
        <translation> (near %1)</translation>
    </message>
</context>
<context>
    <name>Prompter</name>
    <message>
        <source>保存されていない変更</source>
        <translation>Unsaved changes</translation>
    </message>
    <message>
        <source>変更が保存されていません。保存しますか？</source>
        <translation>The changes have not been saved. Save them?</translation>
    </message>
    <message>
        <source>保存する</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>保存しないで閉じる</source>
        <translation>Close without saving</translation>
    </message>
    <message>
        <source>編集を続ける</source>
        <translation>Keep editing</translation>
    </message>
    <message>
        <source>入力を確認してください</source>
        <translation>Please check the input</translation>
    </message>
</context>
<context>
    <name>RecordDialog</name>
    <message>
        <source>保存(&amp;S)</source>
        <translation>&amp;Save</translation>
    </message>
    <message>
        <source>キャンセル</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>Records</name>
    <message>
        <source>日付</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>会場</source>
        <translation>Venues</translation>
    </message>
    <message>
        <source>種別</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>大人</source>
        <translation>Adults</translation>
    </message>
    <message>
        <source>子ども</source>
        <translation>Children</translation>
    </message>
    <message>
        <source>担当</source>
        <translation>Staff</translation>
    </message>
    <message>
        <source>世帯番号</source>
        <translation>Case number</translation>
    </message>
    <message>
        <source>世帯主</source>
        <translation>Head of household</translation>
    </message>
    <message>
        <source>フリガナ</source>
        <translation>Furigana</translation>
    </message>
    <message>
        <source>分</source>
        <translation>Min.</translation>
    </message>
    <message>
        <source>紹介先</source>
        <translation>Referred to</translation>
    </message>
    <message>
        <source>次回確認日</source>
        <translation>Follow up on</translation>
    </message>
    <message>
        <source>内容</source>
        <translation>Summary</translation>
    </message>
    <message>
        <source>対象者</source>
        <translation>Person</translation>
    </message>
    <message>
        <source>孤独感(1-5)</source>
        <translation>Loneliness (1-5)</translation>
    </message>
    <message>
        <source>UCLA(3-12)</source>
        <translation>UCLA (3-12)</translation>
    </message>
    <message>
        <source>K6(0-24)</source>
        <translation>K6 (0-24)</translation>
    </message>
    <message>
        <source>期限</source>
        <translation>Due</translation>
    </message>
    <message>
        <source>状態</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>理由</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>きっかけ</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>結果</source>
        <translation>Outcome</translation>
    </message>
</context>
<context>
    <name>RecoveryDialog</name>
    <message>
        <source>データベースを開けません</source>
        <translation>Cannot open the database</translation>
    </message>
    <message>
        <source>（暗号化）</source>
        <translation> (encrypted)</translation>
    </message>
    <message>
        <source>バックアップから復元すると、そのバックアップ以降の変更は失われます。壊れたファイルは消さずに別名で残します。新しい順のバックアップ：</source>
        <translation>Restoring a backup loses the changes made after it. The damaged file is kept under another name. Backups, newest first:</translation>
    </message>
    <message>
        <source>バックアップが見つかりません。</source>
        <translation>No backup was found.</translation>
    </message>
    <message>
        <source>最新の正常なバックアップから復元</source>
        <translation>Restore the latest sound backup</translation>
    </message>
    <message>
        <source>別のデータベースを開く</source>
        <translation>Open another database</translation>
    </message>
    <message>
        <source>終了</source>
        <translation>Quit</translation>
    </message>
</context>
<context>
    <name>ReportForm</name>
    <message>
        <source>月次報告書（市町向け・集計のみ）</source>
        <translation>Monthly municipal report (aggregates only)</translation>
    </message>
    <message>
        <source>会場の活動報告（期間）</source>
        <translation>Venue activity report (date range)</translation>
    </message>
    <message>
        <source>世帯のケース概要（紹介・引き継ぎ用、同意が必要）</source>
        <translation>Household case summary (referral/handover; needs consent)</translation>
    </message>
    <message>
        <source>世帯カード（QRコードつき）</source>
        <translation>Household ID cards (with QR codes)</translation>
    </message>
    <message>
        <source>会場の名簿（紙の予備）</source>
        <translation>Venue roster sheet (paper fallback)</translation>
    </message>
    <message>
        <source>書き出し：世帯一覧</source>
        <translation>Export: households</translation>
    </message>
    <message>
        <source>書き出し：世帯員一覧</source>
        <translation>Export: members</translation>
    </message>
    <message>
        <source>書き出し：食事記録</source>
        <translation>Export: meal logs</translation>
    </message>
    <message>
        <source>避難元の市町別</source>
        <translation>By origin municipality</translation>
    </message>
    <message>
        <source>避難先の市町別</source>
        <translation>By host municipality</translation>
    </message>
    <message>
        <source>1〜4の件数と、そこから逆算できる件数を「X」と表示する（推奨）</source>
        <translation>Show counts of 1 to 4, and counts that would give them away, as “X” (recommended)</translation>
    </message>
    <message>
        <source>例：N24-000123</source>
        <translation>e.g. N24-000123</translation>
    </message>
    <message>
        <source>世帯番号を空白区切りで（空欄なら支援中の全世帯）</source>
        <translation>Case numbers separated by spaces (empty: all active households)</translation>
    </message>
    <message>
        <source>Excel（.xlsx）</source>
        <translation>Excel (.xlsx)</translation>
    </message>
    <message>
        <source>CSV（Excelで開けるUTF-8）</source>
        <translation>CSV (UTF-8 that Excel opens)</translation>
    </message>
    <message>
        <source>参照(&amp;B)…</source>
        <translation>&amp;Browse…</translation>
    </message>
    <message>
        <source>対象月</source>
        <translation>Month</translation>
    </message>
    <message>
        <source>集計の単位</source>
        <translation>Grouped by</translation>
    </message>
    <message>
        <source>会場</source>
        <translation>Venue</translation>
    </message>
    <message>
        <source>開始日</source>
        <translation>From</translation>
    </message>
    <message>
        <source>終了日</source>
        <translation>To</translation>
    </message>
    <message>
        <source>世帯番号</source>
        <translation>Case number</translation>
    </message>
    <message>
        <source>対象の世帯</source>
        <translation>Households</translation>
    </message>
    <message>
        <source>開催日</source>
        <translation>Session date</translation>
    </message>
    <message>
        <source>形式</source>
        <translation>Format</translation>
    </message>
    <message>
        <source>作成(&amp;G)</source>
        <translation>&amp;Generate</translation>
    </message>
    <message>
        <source>中止</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>開く(&amp;O)</source>
        <translation>&amp;Open</translation>
    </message>
    <message>
        <source>作るもの(&amp;K)</source>
        <translation>&amp;Kind</translation>
    </message>
    <message>
        <source>保存先</source>
        <translation>Save to</translation>
    </message>
    <message>
        <source>中止しました</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <source>作成しました：%1</source>
        <translation>Written: %1</translation>
    </message>
</context>
<context>
    <name>ReportsPage</name>
    <message>
        <source>報告書・書き出し</source>
        <translation>Reports &amp; exports</translation>
    </message>
    <message>
        <source>集計</source>
        <translation>Summary</translation>
    </message>
</context>
<context>
    <name>ResidencePanel</name>
    <message>
        <source>転居日</source>
        <translation>Moved on</translation>
    </message>
    <message>
        <source>避難形態</source>
        <translation>Evacuation status</translation>
    </message>
    <message>
        <source>場所</source>
        <translation>Place</translation>
    </message>
    <message>
        <source>市町</source>
        <translation>Municipality</translation>
    </message>
    <message>
        <source>転居を記録する(&amp;M)</source>
        <translation>Record a &amp;move</translation>
    </message>
    <message>
        <source>新しい住所・施設名（例：石川県金沢市鞍月1-1 みなし仮設）</source>
        <translation>New address or facility (e.g. 石川県金沢市鞍月1-1)</translation>
    </message>
    <message>
        <source>新しい避難形態</source>
        <translation>New status</translation>
    </message>
</context>
<context>
    <name>RestoreDialog</name>
    <message>
        <source>バックアップから復元</source>
        <translation>Restore from a backup</translation>
    </message>
    <message>
        <source>復元(&amp;R)…</source>
        <translation>&amp;Restore…</translation>
    </message>
    <message>
        <source>閉じる</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>選んだバックアップの内容でデータベースを置き換えます。今のファイルは消さずに別名で残します。</source>
        <translation>The database is replaced with the chosen backup. The current file is kept under another name.</translation>
    </message>
    <message>
        <source>バックアップはまだありません：%1</source>
        <translation>No backups yet: %1</translation>
    </message>
    <message>
        <source>%1 のバックアップでデータベースを置き換えます。それ以降の変更は失われます（今のファイルは別名で残します）。よろしいですか？</source>
        <translation>Replace the database with the backup of %1? Changes made after it are lost (the current file is kept under another name).</translation>
    </message>
    <message>
        <source>合言葉（パスフレーズ）：</source>
        <translation>Passphrase:</translation>
    </message>
</context>
<context>
    <name>Retention</name>
    <message>
        <source>保存期間</source>
        <translation>Retention</translation>
    </message>
    <message>
        <source>終了から何か月を過ぎた世帯を消去しますか（月数）：</source>
        <translation>Erase households closed more than how many months ago (months):</translation>
    </message>
    <message>
        <source>月数は1〜240で入力してください</source>
        <translation>Enter 1 to 240 months</translation>
    </message>
    <message>
        <source>終了から%1か月を過ぎた世帯はありません。</source>
        <translation>No household was closed more than %1 months ago.</translation>
    </message>
    <message>
        <source> ほか%1件</source>
        <translation> and %1 more</translation>
    </message>
    <message>
        <source>終了から%1か月を過ぎた%2世帯の個人情報を消去します（件数と集計は残ります）。元に戻せません。よろしいですか？

%3</source>
        <translation>The personal data of %2 households closed more than %1 months ago will be erased (counts and figures stay). This cannot be undone. Continue?

%3</translation>
    </message>
    <message>
        <source>保存期間を過ぎた世帯の消去</source>
        <translation>Erase households past retention</translation>
    </message>
    <message>
        <source>%1世帯の個人情報を消去しました。</source>
        <translation>Erased the personal data of %1 households.</translation>
    </message>
</context>
<context>
    <name>RosterModel</name>
    <message>
        <source>来た</source>
        <translation>Came</translation>
    </message>
    <message>
        <source>世帯番号</source>
        <translation>Case number</translation>
    </message>
    <message>
        <source>世帯主</source>
        <translation>Head of household</translation>
    </message>
    <message>
        <source>人数</source>
        <translation>People</translation>
    </message>
    <message>
        <source>アレルギー</source>
        <translation>Allergies</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>設定</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>全般</source>
        <translation>General</translation>
    </message>
    <message>
        <source>見守りの基準</source>
        <translation>Risk thresholds</translation>
    </message>
    <message>
        <source>バックアップと保存期間</source>
        <translation>Backups and retention</translation>
    </message>
    <message>
        <source>保存(&amp;S)</source>
        <translation>&amp;Save</translation>
    </message>
    <message>
        <source>キャンセル</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>閉じる</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>設定を変更できるのは管理者とコーディネーターです（表示のみ）。</source>
        <translation>Only administrators and coordinators can change the settings (shown read-only).</translation>
    </message>
    <message>
        <source>団体名（帳票に印刷）(&amp;O)：</source>
        <translation>&amp;Organisation (printed on reports):</translation>
    </message>
    <message>
        <source>担当者名(&amp;N)：</source>
        <translation>Staff &amp;name:</translation>
    </message>
    <message>
        <source>（指定しない）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <source>（削除された会場）</source>
        <translation>(deleted venue)</translation>
    </message>
    <message>
        <source>このパソコンの会場(&amp;V)：</source>
        <translation>This laptop&apos;s &amp;venue:</translation>
    </message>
    <message>
        <source>表示言語(&amp;L)：</source>
        <translation>&amp;Language:</translation>
    </message>
    <message>
        <source>表示言語は次回の起動から反映されます（表示 → 表示言語 と同じ）。</source>
        <translation>The language changes the next time the app starts (as View → Language).</translation>
    </message>
    <message>
        <source>自動ロックまでの時間（分）(&amp;I)：</source>
        <translation>&amp;Idle lock after (minutes):</translation>
    </message>
    <message>
        <source>0 でロックしない</source>
        <translation>0 = never lock</translation>
    </message>
    <message>
        <source>K6：重い心理的苦痛とみなす点数</source>
        <translation>K6: score for serious distress</translation>
    </message>
    <message>
        <source>K6：注意が必要とみなす点数</source>
        <translation>K6: score that needs attention</translation>
    </message>
    <message>
        <source>孤独感（直接質問）：注意とみなす回答</source>
        <translation>Loneliness (direct question): answer that needs attention</translation>
    </message>
    <message>
        <source>孤独感尺度（UCLA 3項目）：注意とみなす点数</source>
        <translation>UCLA-3 loneliness scale: score that needs attention</translation>
    </message>
    <message>
        <source>高齢者とみなす年齢</source>
        <translation>Age counted as older</translation>
    </message>
    <message>
        <source>一人暮らしの高齢者：接触のない日数</source>
        <translation>Older person living alone: days without contact</translation>
    </message>
    <message>
        <source>来なくなった：食事のない日数</source>
        <translation>Stopped coming: days without a meal</translation>
    </message>
    <message>
        <source>常連とみなす食事の回数</source>
        <translation>Meals that make a regular</translation>
    </message>
    <message>
        <source>常連を判断する期間（週）</source>
        <translation>Weeks looked at for regulars</translation>
    </message>
    <message>
        <source>K6：悪化とみなす増加</source>
        <translation>K6: rise counted as worse</translation>
    </message>
    <message>
        <source>孤独感尺度：悪化とみなす増加</source>
        <translation>UCLA-3: rise counted as worse</translation>
    </message>
    <message>
        <source>孤独感（直接質問）：悪化とみなす増加</source>
        <translation>Loneliness (direct question): rise counted as worse</translation>
    </message>
    <message>
        <source>ダッシュボードの「見守りが必要な世帯」を選ぶ基準です。チームで決めた値に変更できます。</source>
        <translation>The thresholds that pick the households at risk on the dashboard. Change them to the values your team agreed on.</translation>
    </message>
    <message>
        <source>：</source>
        <translation>:</translation>
    </message>
    <message>
        <source>既定 %1</source>
        <translation>default %1</translation>
    </message>
    <message>
        <source>参照…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <source>バックアップの保存先(&amp;B)：</source>
        <translation>&amp;Backup folder:</translation>
    </message>
    <message>
        <source>空欄：データフォルダの backups</source>
        <translation>Empty: backups in the data folder</translation>
    </message>
    <message>
        <source>2つ目の保存先（USBメモリなど）(&amp;U)：</source>
        <translation>Second folder (e.g. &amp;USB stick):</translation>
    </message>
    <message>
        <source>空欄：使わない</source>
        <translation>Empty: none</translation>
    </message>
    <message>
        <source>日ごとに残す数：</source>
        <translation>Daily backups kept:</translation>
    </message>
    <message>
        <source>週ごとに残す数：</source>
        <translation>Weekly backups kept:</translation>
    </message>
    <message>
        <source>バックアップをチームのパスフレーズで暗号化する(&amp;E)</source>
        <translation>&amp;Encrypt backups with the team passphrase</translation>
    </message>
    <message>
        <source>支援終了後の保存期間（か月）：</source>
        <translation>Keep closed households for (months):</translation>
    </message>
    <message>
        <source>0 で期限なし</source>
        <translation>0 = no limit</translation>
    </message>
    <message>
        <source>フォルダを選択</source>
        <translation>Choose a folder</translation>
    </message>
    <message>
        <source>0以上の整数で入力してください。</source>
        <translation>Enter a whole number, 0 or more.</translation>
    </message>
    <message>
        <source>%1〜%2 の範囲で入力してください。</source>
        <translation>Enter a number from %1 to %2.</translation>
    </message>
    <message>
        <source>フォルダの場所を完全な形で指定してください（参照…で選べます）。</source>
        <translation>Give the folder&apos;s full path (or choose it with Browse…).</translation>
    </message>
    <message>
        <source>フォルダではなくファイルです。</source>
        <translation>This is a file, not a folder.</translation>
    </message>
    <message>
        <source>赤字の項目を直してください。保存していません。</source>
        <translation>Correct the fields in red. Nothing was saved.</translation>
    </message>
    <message>
        <source>設定を保存できませんでした：%1</source>
        <translation>The settings could not be saved: %1</translation>
    </message>
</context>
<context>
    <name>SuggestionTableModel</name>
    <message>
        <source>会場</source>
        <translation>Venue</translation>
    </message>
    <message>
        <source>距離 km</source>
        <translation>Distance (km)</translation>
    </message>
    <message>
        <source>今週の開催</source>
        <translation>Sessions this week</translation>
    </message>
    <message>
        <source>空き</source>
        <translation>Free</translation>
    </message>
    <message>
        <source>理由</source>
        <translation>Reasons</translation>
    </message>
    <message>
        <source>（利用中）</source>
        <translation> (current)</translation>
    </message>
    <message>
        <source>対象外：</source>
        <translation>Excluded: </translation>
    </message>
</context>
<context>
    <name>SummaryPage</name>
    <message>
        <source>避難元別・避難形態別の支援中世帯数</source>
        <translation>Active households by origin and evacuation status</translation>
    </message>
    <message>
        <source>個人の特定を防ぐため、1〜4の件数と、そこから逆算できる件数を、どちらも「X」と表示しています。</source>
        <translation>To protect privacy, counts of 1 to 4 and any count from which one could be worked out both show as “X”.</translation>
    </message>
</context>
<context>
    <name>SyncModels</name>
    <message>
        <source>姓</source>
        <translation>Family name</translation>
    </message>
    <message>
        <source>名</source>
        <translation>Given name</translation>
    </message>
    <message>
        <source>姓（ふりがな）</source>
        <translation>Family name (kana)</translation>
    </message>
    <message>
        <source>名（ふりがな）</source>
        <translation>Given name (kana)</translation>
    </message>
    <message>
        <source>電話番号</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>メモ</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>アレルゲン</source>
        <translation>Allergens</translation>
    </message>
    <message>
        <source>定員</source>
        <translation>Capacity</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>世帯番号</source>
        <translation>Case number</translation>
    </message>
    <message>
        <source>現住所</source>
        <translation>Current address</translation>
    </message>
    <message>
        <source>避難形態</source>
        <translation>Evacuation status</translation>
    </message>
    <message>
        <source>状態</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>（空欄）</source>
        <translation>(empty)</translation>
    </message>
    <message>
        <source>はい</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>いいえ</source>
        <translation>No</translation>
    </message>
    <message>
        <source>こちら</source>
        <translation>mine</translation>
    </message>
    <message>
        <source>相手</source>
        <translation>theirs</translation>
    </message>
    <message>
        <source>%1（%2）</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>未解決</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>こちらを残した</source>
        <translation>Kept mine</translation>
    </message>
    <message>
        <source>相手を採用した</source>
        <translation>Took theirs</translation>
    </message>
    <message>
        <source>編集した値にした</source>
        <translation>Set to an edited value</translation>
    </message>
    <message>
        <source>他の端末で解決済み</source>
        <translation>Settled on another laptop</translation>
    </message>
    <message>
        <source>端末名</source>
        <translation>Laptop</translation>
    </message>
    <message>
        <source>範囲</source>
        <translation>Scope</translation>
    </message>
    <message>
        <source>全件</source>
        <translation>Everything</translation>
    </message>
    <message>
        <source>最終送信</source>
        <translation>Last sent</translation>
    </message>
    <message>
        <source>最終受信</source>
        <translation>Last received</translation>
    </message>
    <message>
        <source>未確認の変更</source>
        <translation>Unacknowledged</translation>
    </message>
    <message>
        <source>相手がまだ受け取ったと確認していない、この端末の変更の数</source>
        <translation>Changes made here that the other laptop has not yet confirmed receiving</translation>
    </message>
    <message>
        <source>記録</source>
        <translation>Record</translation>
    </message>
    <message>
        <source>項目</source>
        <translation>Field</translation>
    </message>
    <message>
        <source>こちらの値</source>
        <translation>Mine</translation>
    </message>
    <message>
        <source>相手の値</source>
        <translation>Theirs</translation>
    </message>
    <message>
        <source>現在残っている値</source>
        <translation>Kept for now</translation>
    </message>
    <message>
        <source>相手端末</source>
        <translation>Other laptop</translation>
    </message>
    <message>
        <source>検出日時</source>
        <translation>Detected</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <source>名前を変更(&amp;R)</source>
        <translation>&amp;Rename</translation>
    </message>
    <message>
        <source>この端末の名前</source>
        <translation>This laptop&apos;s name</translation>
    </message>
    <message>
        <source>相手の端末には、この名前で表示されます。</source>
        <translation>Other laptops see this laptop under this name.</translation>
    </message>
    <message>
        <source>この端末</source>
        <translation>This laptop</translation>
    </message>
    <message>
        <source>同期ファイルを作る(&amp;E)…</source>
        <translation>Make a sync fil&amp;e…</translation>
    </message>
    <message>
        <source>同期ファイルを読み込む(&amp;I)…</source>
        <translation>Read a sync f&amp;ile…</translation>
    </message>
    <message>
        <source>中止</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>同期の相手</source>
        <translation>Laptops synced with</translation>
    </message>
    <message>
        <source>両方の端末で編集された項目（食い違い）</source>
        <translation>Fields edited on both laptops (conflicts)</translation>
    </message>
    <message>
        <source>同期ファイルを読み込む</source>
        <translation>Read a sync file</translation>
    </message>
    <message>
        <source>同期ファイル (*.evsync);;すべてのファイル (*)</source>
        <translation>Sync files (*.evsync);;All files (*)</translation>
    </message>
    <message>
        <source>合言葉（パスフレーズ）を入力してください</source>
        <translation>Enter the passphrase</translation>
    </message>
    <message>
        <source>読み込んでいます：%1</source>
        <translation>Reading %1…</translation>
    </message>
    <message>
        <source>%1 から %2 件（新規反映 %3 件、取り込み済み %4 件、重複 %5 件）</source>
        <translation>from %1: %2 changes (%3 applied, %4 already here, %5 duplicates)</translation>
    </message>
    <message>
        <source>世帯番号 %1 が重なったため %2 にしました</source>
        <translation>case number %1 was taken; renumbered %2</translation>
    </message>
    <message>
        <source>両方の端末で編集された項目が %1 件あります（下の一覧で確認してください）</source>
        <translation>%1 fields were edited on both laptops (see the list below)</translation>
    </message>
    <message>
        <source>読み込みました：</source>
        <translation>Read: </translation>
    </message>
    <message>
        <source>読み込みを中止しました。何も変更していません</source>
        <translation>Reading was cancelled; nothing was changed</translation>
    </message>
    <message>
        <source>読み込みませんでした。何も変更していません</source>
        <translation>Not read; nothing was changed</translation>
    </message>
    <message>
        <source>まだ同期したことのない端末からのファイル</source>
        <translation>A file from a laptop this one has not synced with</translation>
    </message>
    <message>
        <source>送り手に心当たりがあり、この端末宛てのファイルであることを確かめたときだけ読み込んでください。読み込みますか？</source>
        <translation>Read it only if you know the sender and have made sure the file is for this laptop. Read it?</translation>
    </message>
</context>
<context>
    <name>VenueEditor</name>
    <message>
        <source>保存(&amp;S)</source>
        <translation>&amp;Save</translation>
    </message>
    <message>
        <source>保存（Ctrl+S）</source>
        <translation>Save (Ctrl+S)</translation>
    </message>
    <message>
        <source>キャンセル</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>閉じる（Esc）</source>
        <translation>Close (Esc)</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>会場の編集：%1</source>
        <translation>Edit venue: %1</translation>
    </message>
    <message>
        <source>会場の登録</source>
        <translation>Register a venue</translation>
    </message>
</context>
<context>
    <name>VenueForm</name>
    <message>
        <source>名称(&amp;N)</source>
        <translation>&amp;Name</translation>
    </message>
    <message>
        <source>例：こども食堂 ひだまり</source>
        <translation>e.g. こども食堂 ひだまり</translation>
    </message>
    <message>
        <source>種別(&amp;K)</source>
        <translation>&amp;Kind</translation>
    </message>
    <message>
        <source>運営団体(&amp;O)</source>
        <translation>&amp;Operator</translation>
    </message>
    <message>
        <source>例：920-0961</source>
        <translation>e.g. 920-0961</translation>
    </message>
    <message>
        <source>郵便番号(&amp;P)</source>
        <translation>&amp;Postal code</translation>
    </message>
    <message>
        <source>住所(&amp;D)</source>
        <translation>A&amp;ddress</translation>
    </message>
    <message>
        <source>空欄なら住所の位置。直すときは 36.5613, 136.6562 か地図のリンク</source>
        <translation>Empty: the address&apos;s point. To correct it: 36.5613, 136.6562 or a map link</translation>
    </message>
    <message>
        <source>位置（緯度経度）(&amp;L)</source>
        <translation>&amp;Location (lat, long)</translation>
    </message>
    <message>
        <source>例：30</source>
        <translation>e.g. 30</translation>
    </message>
    <message>
        <source>人</source>
        <translation>people</translation>
    </message>
    <message>
        <source>定員(&amp;C)</source>
        <translation>&amp;Capacity</translation>
    </message>
    <message>
        <source>開催日時(&amp;T)</source>
        <translation>Schedule (&amp;T)</translation>
    </message>
    <message>
        <source>例：水 17:00-19:00、土 11:30-13:30</source>
        <translation>e.g. Wed 17:00-19:00, Sat 11:30-13:30</translation>
    </message>
    <message>
        <source>対応アレルゲン(&amp;G)</source>
        <translation>Aller&amp;gens handled</translation>
    </message>
    <message>
        <source>車椅子で利用できる(&amp;W)</source>
        <translation>&amp;Wheelchair accessible</translation>
    </message>
    <message>
        <source>車椅子対応</source>
        <translation>Wheelchair access</translation>
    </message>
    <message>
        <source>担当者(&amp;R)</source>
        <translation>Contact pe&amp;rson</translation>
    </message>
    <message>
        <source>電話番号(&amp;H)</source>
        <translation>P&amp;hone</translation>
    </message>
    <message>
        <source>例：076-220-1234</source>
        <translation>e.g. 076-220-1234</translation>
    </message>
    <message>
        <source>メール(&amp;M)</source>
        <translation>E-&amp;mail</translation>
    </message>
    <message>
        <source>例：info@example.jp</source>
        <translation>e.g. info@example.jp</translation>
    </message>
    <message>
        <source>利用可（新しい紹介を受け付ける）(&amp;A)</source>
        <translation>Open (&amp;accepts new referrals)</translation>
    </message>
    <message>
        <source>状態</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>備考(&amp;B)</source>
        <translation>Notes (&amp;B)</translation>
    </message>
    <message>
        <source>緯度 %1、経度 %2（入力された位置）</source>
        <translation>Latitude %1, longitude %2 (as entered)</translation>
    </message>
    <message>
        <source>およその位置：</source>
        <translation>Approximate: </translation>
    </message>
</context>
<context>
    <name>VenueListView</name>
    <message>
        <source>名称・運営団体・住所で絞り込み</source>
        <translation>Filter by name, operator or address</translation>
    </message>
    <message>
        <source>新しい会場(&amp;N)</source>
        <translation>&amp;New venue</translation>
    </message>
    <message>
        <source>新しい会場を登録（Ctrl+N）</source>
        <translation>Register a new venue (Ctrl+N)</translation>
    </message>
    <message>
        <source>一括割り当て(&amp;L)…</source>
        <translation>Bu&amp;lk allocation…</translation>
    </message>
    <message>
        <source>会場のない世帯を近くの会場に割り当てる案を作り、確認してから登録します</source>
        <translation>Plan places at nearby venues for households without one, check the plan, then record it</translation>
    </message>
    <message>
        <source>絞り込み(&amp;F)</source>
        <translation>&amp;Filter</translation>
    </message>
    <message numerus="yes">
        <source>%n 件</source>
        <translation>
            <numerusform>%n item(s)</numerusform>
            <numerusform>%n item(s)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>VenueTableModel</name>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>種別</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>運営団体</source>
        <translation>Operator</translation>
    </message>
    <message>
        <source>住所</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>定員</source>
        <translation>Capacity</translation>
    </message>
    <message>
        <source>開催日時</source>
        <translation>Schedule</translation>
    </message>
    <message>
        <source>車椅子</source>
        <translation>Wheelchair</translation>
    </message>
    <message>
        <source>状態</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>利用状況</source>
        <translation>Load</translation>
    </message>
    <message>
        <source>%1 世帯・%2 人が利用中（定員 %3 人、空き %4 人）</source>
        <translation>%1 households, %2 people assigned (capacity %3, %4 free)</translation>
    </message>
    <message>
        <source>%1 / %2 人</source>
        <translation>%1 / %2 people</translation>
    </message>
    <message>
        <source>利用可</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>休止</source>
        <translation>Paused</translation>
    </message>
</context>
<context>
    <name>VisitDialog</name>
    <message>
        <source>訪問・電話の記録</source>
        <translation>Record a visit or call</translation>
    </message>
    <message>
        <source>分（例：30）</source>
        <translation>minutes (e.g. 30)</translation>
    </message>
    <message>
        <source>話したこと</source>
        <translation>What was discussed</translation>
    </message>
    <message>
        <source>気がかりなこと</source>
        <translation>Concerns</translation>
    </message>
    <message>
        <source>次に連絡する日（入力するとフォローアップに登録）</source>
        <translation>Next contact date (creates a follow-up)</translation>
    </message>
    <message>
        <source>日付(&amp;D)</source>
        <translation>&amp;Date</translation>
    </message>
    <message>
        <source>種別(&amp;K)</source>
        <translation>&amp;Kind</translation>
    </message>
    <message>
        <source>担当(&amp;T)</source>
        <translation>S&amp;taff</translation>
    </message>
    <message>
        <source>時間</source>
        <translation>Duration</translation>
    </message>
    <message>
        <source>内容(&amp;C)</source>
        <translation>&amp;Content</translation>
    </message>
    <message>
        <source>気がかり</source>
        <translation>Concerns</translation>
    </message>
    <message>
        <source>紹介先(&amp;R)</source>
        <translation>&amp;Referred to</translation>
    </message>
    <message>
        <source>次回確認日(&amp;F)</source>
        <translation>&amp;Follow up on</translation>
    </message>
</context>
<context>
    <name>VisitsPage</name>
    <message>
        <source>最近の訪問・電話</source>
        <translation>Recent visits and calls</translation>
    </message>
    <message>
        <source>最近のチェックイン（見守り尺度）</source>
        <translation>Recent check-ins (wellbeing scales)</translation>
    </message>
    <message>
        <source>訪問を記録(&amp;V)…</source>
        <translation>Record a &amp;visit…</translation>
    </message>
    <message>
        <source>チェックインを記録(&amp;C)…</source>
        <translation>Record a &amp;check-in…</translation>
    </message>
    <message>
        <source>訪問・電話を記録する世帯</source>
        <translation>Household to record a visit or call for</translation>
    </message>
    <message>
        <source>チェックインを記録する世帯</source>
        <translation>Household to record a check-in for</translation>
    </message>
</context>
</TS>
