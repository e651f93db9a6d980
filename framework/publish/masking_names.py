"""Third-party full names inside free text (conventions §3, issue 15): ``李四光反映…``,
``村民张三丰家`` where the requester is someone else (the requester's own name is a known secret,
replaced first by :func:`framework.publish.masking.mask_value`).

The rule (measured on the Taidi messages by ``benchmarks/masking_recall.py``; the figures are in
benchmarks/README.md, "Masking recall"): a name is a common surname (:data:`SURNAMES`, the ~280
most frequent single ones, plus :data:`COMPOUND_SURNAMES`) followed by a given name of 1–2
characters, each a common given-name character (:data:`GIVEN_CHARS`) and none a function word,
title or kinship character (:data:`NOT_GIVEN`: 书记/主任/师傅 end in one, 某 and the pronouns too,
so masked text stays as it is), that a cue word marks:

* a cue before it (:data:`BEFORE_CUES`: 村民, 居民, 群众, 老人, 户主, 业主, 农户, 申请人, 当事人,
  联系人, 举报人, 诉求人, 邻居, 妻子 …; a colon or a space may follow it: ``举报人：李四光``) and, right after the given name, the end of a clause (punctuation, a space, the
  end of the text, an after-cue, or a word such as 来/在/到/的/说/电话/手机): ``村民张三丰家`` -> ``村民张某家``;
* or a strong cue after it (:data:`STRONG_AFTER_CUES`: 反映, 之子, 之女, 之妻, 夫妇, 一家, 等人,
  诉称, 来电, 来访, 投诉, 举报, 本人, 儿子, 妻子 …): ``李四光反映`` -> ``李某反映``, ``徐飞鹏儿子`` ->
  ``徐某儿子``, also with a title
  (:data:`NAME_TITLES`: ``李四光先生反映``) or a bracketed aside (``李四光（138…）反映``) between. The weak cues 家/说/称/户/表示
  follow too many ordinary words (符合国家, 简单说) and only end a name a before-cue began. A
  surname that is also a common word (:data:`WEAK_SURNAMES`: 向, 于, 全, 方 …) needs a
  two-character given name here (全国反映 stays, 方志强反映 does not); ``X家`` followed by a place
  character (张家湾, 王家村) is a place name.

Names a citizen gives after a cue (:data:`NAMING_CUES`: 我叫, 名叫, 真名叫, 本人姓名, 姓名 …;
:data:`SELF_CUES`: 本人, 我是, 丈夫, 妻子, 父亲, 女儿, 孙女, 爸, 妈, 联系人, 已联系, 联系 …;
``：``/``，``/a space/quotes and one 是/为/叫 may come between): a surname (single or compound) and
a given name of 1–2 Han characters — any but :data:`CUE_NOT_GIVEN` — right after the cue. After
a naming cue the name may run into the clause (``我叫司马光来反映`` -> ``我叫司马某来反映``) and may be
spaced out (``我叫 赵 敏，`` -> ``我叫 赵某，``); after a self or kin cue it must end at punctuation, a
space, a digit, the end of the text or a word of :data:`NAME_GOES_ON` — a function character, a
verb or a title: 于 和 与 及 属 欠 是 在 住 从 因 由 说 称 答 系 患, 反映 实名 今年 年龄 结婚 出差 去世,
身份证 电话 …, 经理 主任 … (``本人唐铁有，`` -> ``本人唐某，``, ``你妻子易文君于2018年`` ->
``你妻子易某于2018年``, ``母亲严贵玉答道`` -> ``母亲严某答道``; ``本人认为``, ``父亲去世``, ``联系电话``,
``我是一名`` stay). A given name is read without a last character that begins such a word
(``我叫李娜住在`` -> ``我叫李某住在``). A surname that is also a word needs two given characters
there unless punctuation follows (``爱人钱芳，`` -> ``爱人钱某，``; ``本人连续24个``, ``联系方式？`` stay),
and a common word that starts with a surname character stays (:data:`CUE_WORDS`: ``母亲高血压，``,
``我是毕业生，``, ``本人房屋是``). Measured on the 附件4 texts (benchmarks/masking_recall.py): every
span it adds there is a person's name.

A name found in a text is masked wherever else it stands in that text (a reply names
``徐飞鹏儿子`` once and ``徐飞鹏`` twenty times without a cue); a two-character one only when its
surname is no common word (方圆 stays in 方圆十里). Names listed
with a name found, joined by 、/和/与/及, are names too (``张三、李四光反映`` ->
``张某、李某反映``). A match becomes surname + 某, as the name field rule; a compound surname
(:data:`COMPOUND_SURNAMES`, 复姓) is tried first and keeps both characters, with a given name of
1–2 characters after it (``村民欧阳娜娜家`` -> ``村民欧阳某家``, ``司马光反映`` -> ``司马某反映``); a
compound surname alone is read as surname + a one-character given name (``村民欧阳反映`` ->
``村民欧某反映``, as ``mask_name("欧阳")`` -> ``欧某``) — when its second character is a common
given-name character (阳 is; 马 is not, so ``村民司马说`` stays). Left alone: names without a cue (``找张三丰``),
rare surnames and given-name characters outside the lists, names of three given characters,
foreign names; officials named in replies are masked like anyone when a cue marks them.
"""

from __future__ import annotations

import re

#: The most frequent single-character surnames (about 90 % of the population).
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向"
    "汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单"
    "季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄"
    "窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查"
    "麻苑迟邝萧阎鞠赖洪匡惠荆冀郁胥班储栗燕楚鄢劳谌奚皮粟冼蔺伊仝郜")
#: Compound surnames (复姓): a name that begins with one keeps both characters when masked
#: (欧阳娜娜 -> 欧阳某, 司马光 -> 司马某; conventions §3), here and in
#: :func:`framework.publish.masking.mask_name`. A two-character name that is only a compound
#: surname (欧阳) still hides something: it is read as surname + given name (欧阳 -> 欧某).
COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文",
                     "司徒", "夏侯", "令狐", "端木", "西门", "南宫", "独孤", "轩辕", "澹台",
                     "呼延", "申屠", "公冶", "太史", "钟离", "闻人", "赫连", "万俟", "濮阳", "淳于", "单于",
                     "仲孙", "拓跋")
#: Surnames that are also common words (向, 于, 和, 全, 方, 时 …): with an after-cue only, they
#: need a two-character given name (全国反映 is no name, 方志强反映 is).
WEAK_SURNAMES = frozenset("向于和时成应全明文安方常解单车关连路师查管党宗高白石金江万司农古谷曲盛池麻迟米项商包左"
                          "甘申章齐易康牛武严钱温施尚宁符舒纪童毕季华阳景宫费冷席卫柏桂佟边师和商沙荣桑仲敖巩")
#: Characters common in given names (a candidate's given name is made of these only).
GIVEN_CHARS = frozenset(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华玉平刚桂文辉鑫建红霞兰凤梅琴云莲珍贞荣林燕萍雪琳晶婷颖慧倩婧"
    "莉丹蕾薇菲佳嘉琪瑶怡悦欣晨晓宇浩然轩泽睿博俊峰鹏飞斌彬波海江河山松柏青春秋冬夏东正德福禄寿喜宝金银"
    "钢龙虎鹤鸿雁莺兵武卫保安康健宁和顺利发达兴旺昌盛富贵光亮耀晖阳旭星辰天泉清源长永远志毅坚雄豪美娇媛婉"
    "淑惠智聪捷思念恩仁义礼信忠孝廉诚良善贤才学书章彩虹翠碧竹菊桃杏荷花芬芝芸蓉茂苗根树森枝宏洪弘庭国邦生"
    "成功业立设新振亲爱乐欢庆祥瑞吉泰丰登实满仓余来珠琦璐瑜瑾琼玲珊瑛璇珏婕妍妮姗娅嫣娥娣姣莎茜蓓露雯霏"
    "岚岩峻崇嵩巍铭锋锐钰铮楠桐柳枫杨柯樱栋梁宪宗宸宽容守定宜宣宾寒骏驰腾跃麟晋晟景暖晴朗朝望木本朴杉权"
    "楷汉池沛泓法泳洁洲涌润淳深渊湘溪滨潇澜炎炜烨焕煜熙爽犇玄琛璋甜田由甲申男画畅白百皓盈直真硕祖祺禧秉"
    "科程稳穗端筠素紫纯绍维绮继缘群羽翔翰胜致舒航艺芊芙芷茹荃莹菁萌蓝蔚蛟衡裕誉诗语贝贺资赛越迎进连通逸道"
    "郁鉴闯闻雅雨霖震霄靖韬韵颂飘香馨驹骥魁鸣鸥黎鼎齐一二三四五六七八九小大元亚仕兆先光冠凯刘力勤华卓南博"
    "厚双叶君启坤培基增士声奇威娟子孟宁季宏寿尧展巧帅平年庆延彤影征怀恒悦惠成扬承振文斐新旺昊昭晓晶晨"
    "普曦曼月杰松枝柱栋根桂桥梓楚欣歌正武毓汝江沁波泽洪浩涵淼清港游湖滔潮灵炳烈焱然照熊燕爵特玮珍琦瑶"
    "璞生男疆登盼石磊礼秀秋积立竞笛策箫红纬绪美翼耕聚育胤臣舟良艳芬苏若茵荣莉菡萱葆蒙蕊薇虎蝶豫贞"
    "贵赞超轶辉达迪连逢道远遥邦金钊钧铨锦镜长闽阔雁雄雯青静韦顺颜风飙馥骅高鹃鹰麒黛帆雷")
#: Characters that are not (the end of) a given name: function words, titles, kinship terms,
#: units, 某 (a masked name) — a candidate with one of them is no name.
NOT_GIVEN = frozenset(
    "的了也都又还就在是有和与及等上下里中内外前后来去时年月日天次个些这那其此所被把将对向从到给让为因而但并"
    "或已曾再才只没不很太更最会能要想说讲问看见听多少老旧某们人民众户方部门局委府镇乡村区县市省组司厂"
    "店校院员长记任师生士姐哥弟妹爷妈爹叔婶伯姨嫂总工经理主干警官同先女家属子孙儿者"
    "亿元位名反映称表示该系些于以之如则即便且虽若与同跟找请叫让使令据按照经过通诸各每某啥什么怎样您你我他她它")
BEFORE_CUES = ("村民", "居民", "群众", "老人", "户主", "业主", "农户", "贫困户", "低保户", "五保户", "残疾人",
               "老党员", "申请人", "当事人", "反映人", "来访人", "投诉人", "举报人", "委托人", "邻居", "租户",
               "联系人", "来电人", "求助人", "诉求人", "受害人",
               "妻子", "丈夫", "儿子", "女儿", "父亲", "母亲")
STRONG_AFTER_CUES = ("反映", "之子", "之女", "之妻", "之夫", "夫妇", "一家", "等人", "诉称", "来电", "来访",
                     "投诉", "举报", "本人", "老人", "的儿子", "的女儿", "的妻子", "的丈夫", "的父亲", "的母亲",
                     "儿子", "女儿", "妻子", "丈夫", "父亲", "母亲")
WEAK_AFTER_CUES = ("家", "说", "称", "户", "表示", "电话", "手机")  # 联系人李四光电话…
AFTER_CUES = STRONG_AFTER_CUES + WEAK_AFTER_CUES
#: After ``X家``: a place name (张家湾, 王家村), not a household.
_PLACE_AFTER_JIA = frozenset("村湾坝沟庄屯寨坪岭山河营堡台店园巷院桥口嘴岗冲坡塘堰垭梁寺镇乡街铺")
#: Characters that may end a name before a clause goes on (村民张三来到…).
_CLAUSE_GOES_ON = frozenset("来去在到的了也都又还就是有和与及等说讲问找向对把被将从给让为因而但并已曾再才只没不很")

_HAN = re.compile(r"[\u4e00-\u9fff]")
_LIST_JOINERS = "、和与及"
_AFTER_RE = re.compile("|".join(sorted(AFTER_CUES, key=len, reverse=True)))
_STRONG_RE = re.compile("|".join(sorted(STRONG_AFTER_CUES, key=len, reverse=True)))
_BEFORE_RE = re.compile("(?:" + "|".join(sorted(BEFORE_CUES, key=len, reverse=True)) + ")[：:]? ?")
#: Titles a name may carry before a strong after-cue (李四光先生反映, 李四光同志来访).
NAME_TITLES = ("先生", "女士", "同志", "大爷", "大妈", "阿姨", "老师")
_BRACKETED = re.compile(r"[（(][^（()）]{1,30}[)）]$")


def _name_ends(text: str, i: int) -> list[int]:
    """Where a name may end before a strong after-cue at ``i``: right there, before a title
    (``李四光先生反映``), or before a bracketed aside (``李四光（138…）反映``)."""
    ends = [i]
    for j in list(ends):
        m = _BRACKETED.search(text, max(0, j - 32), j)
        if m:
            ends.append(m.start())
    for j in list(ends):
        if text[max(0, j - 2):j] in NAME_TITLES:
            ends.append(j - 2)
    return ends


def _given_ok(chars: str) -> bool:
    return all(c in GIVEN_CHARS and c not in NOT_GIVEN for c in chars)


def _surname_at(text: str, start: int, end: int) -> str | None:
    """The surname that ``text[start:end]`` (a candidate name) begins with, given name 1–2."""
    cand = text[start:end]
    for cs in COMPOUND_SURNAMES:
        if cand.startswith(cs) and 1 <= len(cand) - 2 <= 2 and _given_ok(cand[2:]):
            return cs
    if cand[:1] in SURNAMES and 1 <= len(cand) - 1 <= 2 and _given_ok(cand[1:]):
        return cand[0]
    return None


def _after_cue_at(text: str, i: int) -> bool:
    m = _AFTER_RE.match(text, i)
    return bool(m) and not (m.group(0) == "家" and text[i + 1:i + 2] in _PLACE_AFTER_JIA)


def _ends_clause(text: str, i: int) -> bool:
    return i >= len(text) or not _HAN.match(text[i]) or text[i] in _CLAUSE_GOES_ON or _after_cue_at(text, i)


def _listed_name(text: str, start: int, end: int) -> tuple[str, str] | None:
    """``text[start:end]`` as a listed name: ``(name, surname)`` or None. A weak surname needs
    a two-character given name, as with an after-cue."""
    if start < 0 or end > len(text):
        return None
    surname = _surname_at(text, start, end)
    if not surname or (end - start - len(surname) == 1 and surname in WEAK_SURNAMES):
        return None
    if end - start == 3 and surname in WEAK_SURNAMES and _listed_name(text, start + 1, end):
        return None  # 承包商贺良、陈勇国: the word 承包商, then 贺良
    return text[start:end], surname


def _add_listed(text: str, spans: dict[int, tuple[int, str]]) -> None:
    """Names listed with a name already found, joined by 、/和/与/及 (张三、李四光反映 ->
    张某、李某反映; 村民王五和赵六家): to the left, any that fits; to the right, one the end of a
    clause follows. Repeats until no more are found."""
    todo = list(spans.items())
    while todo:
        start, (end, _) = todo.pop()
        if start > 0 and text[start - 1] in _LIST_JOINERS:
            for size in (4, 3, 2):
                found = _listed_name(text, start - 1 - size, start - 1)
                if found and start - 1 - size not in spans:
                    spans[start - 1 - size] = (start - 1, found[1] + "某")
                    todo.append((start - 1 - size, spans[start - 1 - size]))
                    break
        if end < len(text) and text[end] in _LIST_JOINERS:
            for size in (4, 3, 2):
                found = _listed_name(text, end + 1, end + 1 + size)
                if found and end + 1 not in spans and _ends_clause(text, end + 1 + size):
                    spans[end + 1] = (end + 1 + size, found[1] + "某")
                    todo.append((end + 1, spans[end + 1]))
                    break


def _name_before(text: str, i: int, spans: dict[int, tuple[int, str]]) -> None:
    """A name ending at ``i`` (before a strong after-cue) into ``spans``: surname + 2 given
    characters (or compound + 1) first, then surname + 1."""
    for size in (4, 3, 2):  # compound + 2, surname + 2 (or compound + 1), surname + 1
        start = i - size
        if start < 0:
            continue
        surname = _surname_at(text, start, i)
        if not surname:
            continue
        given = size - len(surname)
        if surname == "周" and text[start + 1] in "一二三四五六日末":
            continue  # 周五投诉: a weekday
        if size == 3 and len(surname) == 1 and text[start] in WEAK_SURNAMES and text[start + 1] in SURNAMES \
                and _surname_at(text, start + 1, i):
            continue  # 向王五家: the word 向, then 王五
        if given == 1 and surname in WEAK_SURNAMES:
            break
        spans.setdefault(start, (i, surname + "某"))
        break


#: Cues after which a citizen names someone (conventions §3, "names given after a cue"). A
#: *naming* cue says a name follows (我叫, 名叫, 本人姓名 …); after it the name may run on into the
#: clause (``我叫司马光来反映`` -> ``我叫司马某来反映``). A *self or kin* cue (本人, 我是, 丈夫, 父亲,
#: 联系 …) is followed by ordinary words as often (本人认为, 我是一名, 父亲去世, 联系电话), so
#: after it the name must end at punctuation, a space, a digit, the end of the text or one of
#: :data:`NAME_GOES_ON` (``本人唐铁有，是K市`` -> ``本人唐某，是K市``, ``妻子易文君于2018年`` ->
#: ``妻子易某于2018年``), a surname that is also a word (:data:`WEAK_SURNAMES`) needs two given
#: characters unless punctuation follows (``爱人钱芳，`` -> ``爱人钱某，``; ``本人连续24个`` stays), and
#: a common word that starts with a surname (:data:`CUE_WORDS`: 高血压, 毕业生, 房屋 …) stays.
#: Between cue and name: ``：``/``:``/``，``/``,``/spaces/quotes and one 是/为/叫 (``本人姓名，罗粲``,
#: ``父亲是王五``, ``我叫“李娜”``).
NAMING_CUES = ("我叫", "名叫", "真名叫", "真名是", "名字叫", "名字是", "本人姓名", "姓名")
SELF_CUES = ("本人", "我是", "叫做", "丈夫", "妻子", "爱人", "老伴", "父亲", "母亲", "儿子", "女儿", "儿媳", "女婿",
             "孙子", "孙女", "哥哥", "姐姐", "弟弟", "妹妹", "爸", "妈", "联系人", "已联系", "联系")
#: What may follow a name given after a self or kin cue besides punctuation, a space, a digit or
#: the end of the text: a function character, a verb or a title, as the 附件4 replies write them
#: (``父亲曹欣召属贫困户``, ``母亲严贵玉答道``, ``本人陈可实名举报``, ``儿子吴辉雄多年``, ``联系刘芳经理``).
#: A two-character given name whose second character starts one of the longer words here is
#: read without it (``我叫李娜住在`` -> ``我叫李某住在``, not ``李某在``).
NAME_GOES_ON = ("身份证", "电话", "手机", "联系", "今年", "现年", "家住", "住在", "户籍", "于", "和", "与", "及",
                "属", "欠", "是", "在", "住", "从", "因", "由", "说", "称", "答", "系", "患", "也", "已", "等",
                "反映", "实名", "年龄", "结婚", "出差", "去世", "今天", "现在", "多年", "自愿", "自从", "代为", "协调",
                "反复", "掌握", "打款", "购买", "利用", "另立", "夫妇", "一家", "两个", "两人", "三人", "临时", "抚养", "生前",
                "经理", "书记", "主任", "先生", "女士", "老师", "同志")
_GOES_ON_LONG = tuple(w for w in NAME_GOES_ON if len(w) > 1)
#: Common words that start with a surname character, as they follow a self or kin cue in the
#: 附件4 texts and the tester's reports (``母亲高血压``, ``我是毕业生``, ``本人房屋是空置``, ``联系车主``):
#: a candidate that begins with one is no name. Two characters (or three where the two could
#: begin a name: 高中生, 王府井).
CUE_WORDS = frozenset((
    "高血", "高中生", "高龄", "高考", "高兴", "高新", "高速", "高层", "高压", "高温", "毕业", "毕竟", "应届", "应该",
    "应当", "应配", "左撇", "左侧", "左右", "王府井", "严重", "严格", "常年", "常住", "常客", "尚未", "凌晨", "连续",
    "符合", "申请", "申报", "施工", "查阅", "查询", "房产", "房屋", "房子", "房东", "房主", "房价", "单位", "单身",
    "安排", "安置", "安全", "解决", "温泉", "关注", "关于", "农业", "农村", "农民", "司法", "司机", "车主", "车辆",
    "成绩", "成都", "曾经", "向您", "全体", "全家", "全部", "周一", "周二", "周三", "周四", "周五", "周六", "周日",
    "周末", "周边", "金额", "石灰", "华人", "华侨", "党员", "方式", "方法", "方面", "时间", "时候", "文化", "费用",
    "卫生", "劳动", "项目", "路口", "路段", "明确", "程序", "任何", "许可"))
#: Characters no given name after a cue holds: :data:`NOT_GIVEN` but those names have too (唐铁有,
#: 邹民为, 秦中秋, 陈良前, 刘众大, 王天生, 上官婉儿, 钱多多, 杨过 …); after a naming cue, with
#: punctuation after the name, only :data:`NAMING_NOT_GIVEN` (刘方).
CUE_NOT_GIVEN = NOT_GIVEN - frozenset("有民为中前众元先士天子月长生通若儿多过")
NAMING_NOT_GIVEN = frozenset("某我你他她它您们的了着吗呢吧啊呀是在")
#: A title is no given name (联系人：张科长, 联系王先生): after a cue, a "given name" that is one
#: of these or ends in 长 (科长, 所长, 村长 …) leaves the surname and title as written.
CUE_TITLES = frozenset(("先生", "女士", "同志", "老师", "师傅", "医生", "书记", "主任", "经理", "大爷", "大妈",
                        "阿姨", "科", "总", "工"))
_QUOTES = "“”\"「」『』‘’"
_CUE_RE = re.compile("(" + "|".join(sorted(NAMING_CUES + SELF_CUES, key=len, reverse=True)) + ")"
                     "[：:，, \u3000" + _QUOTES + "]*(?:[是为叫][：:，, \u3000" + _QUOTES + "]*)?")
_NAMING = frozenset(NAMING_CUES)
_COMPOUND_SET = frozenset(COMPOUND_SURNAMES)
#: A name written with spaces between its characters after a naming cue (``我叫 赵 敏，``).
_SPACED_NAME = re.compile("[ \u3000]([\u4e00-\u9fff])(?:[ \u3000]([\u4e00-\u9fff]))?(?![\u4e00-\u9fff])")


def _given_may_start(ch: str) -> bool:
    """Whether a given name after a cue may begin with ``ch`` (a Han character not in
    :data:`NAMING_NOT_GIVEN`): checked first, so 联系张某 or 本人认为 cost one look."""
    return bool(ch) and "\u4e00" <= ch <= "\u9fff" and ch not in NAMING_NOT_GIVEN


def _cue_given_ok(chars: str) -> bool:
    return CUE_NOT_GIVEN.isdisjoint(chars)


def _spaced_name_at(text: str, start: int) -> tuple[int, str] | None:
    """After a naming cue, a single surname with its given name spaced out (``赵 敏，``,
    ``王 小 明``): ``(end, surname)`` or None."""
    m = _SPACED_NAME.match(text, start + 1)
    if m and text[start] in SURNAMES and NAMING_NOT_GIVEN.isdisjoint(m.group(1) + (m.group(2) or "")):
        return m.end(), text[start]
    return None


def _cue_name_at(text: str, start: int, naming: bool) -> tuple[int, str] | None:
    """The name a cue introduces at ``text[start:]``: ``(end, surname)`` or None. ``naming``: the
    cue is one of :data:`NAMING_CUES` (else a self or kin cue). Rule: the module docstring."""
    compound = text[start:start + 2] if text[start:start + 2] in _COMPOUND_SET else None
    single = text[start:start + 1] in SURNAMES and text[start:start + 1] not in _LIST_JOINERS
    # 姓名和联系电话, 父亲和母亲: 和 joins, it is no surname here; 联系张某: masked already
    if single and naming and text[start + 1:start + 2] in " \u3000":
        return _spaced_name_at(text, start)
    single = single and _given_may_start(text[start + 1:start + 2])
    if compound and not _given_may_start(text[start + 2:start + 3]):
        compound = None
    if not (compound or single):
        return None
    if not naming and (text[start:start + 2] in CUE_WORDS or text[start:start + 3] in CUE_WORDS):
        return None  # 母亲高血压, 我是毕业生, 本人房屋是: a word, not a name
    for size in (4, 3, 2):
        end = start + size
        if end > len(text):
            continue
        cand = text[start:end]
        if compound and size >= 3:
            surname = compound
        elif single and size <= 3:
            surname = cand[0]
        else:
            continue
        given = cand[len(surname):]
        if not given or not all(_HAN.match(c) for c in given) or given in CUE_TITLES or given.endswith("长"):
            continue
        if len(given) == 2 and text.startswith(_GOES_ON_LONG, end - 1):
            continue  # 李娜住在, 陈可实名, 端木赐出差: the last character begins the next word
        nxt = text[end:end + 1]
        clause_ends = not nxt or not _HAN.match(nxt) or text.startswith(NAME_GOES_ON, end)
        loose = naming and not _HAN.match(nxt or "。") and NAMING_NOT_GIVEN.isdisjoint(given)  # 真名叫刘方，
        if not (_cue_given_ok(given) or loose):
            continue
        if naming:
            if clause_ends or ((len(given) == 2 or surname not in WEAK_SURNAMES) and _ends_clause(text, end)):
                return end, surname
        elif clause_ends and not (len(given) == 1 and surname in WEAK_SURNAMES and not _punctuation(nxt)):
            return end, surname
    return None


def _punctuation(ch: str) -> bool:
    """``ch`` is a punctuation mark (not a letter, digit, space or Han character): ``，。；）``."""
    return bool(ch) and not (ch.isalnum() or ch.isspace())


def _cue_names(text: str, spans: dict[int, tuple[int, str]]) -> None:
    """Names given after a naming, self or kin cue (:data:`NAMING_CUES`) into ``spans``."""
    for m in _CUE_RE.finditer(text):
        if m.group(1) in ("女儿", "儿子") and text[m.end():m.end() + 1] == "童":
            continue  # 妇女儿童: 儿童 is a word
        found = _cue_name_at(text, m.end(), m.group(1) in _NAMING)
        if found:
            spans.setdefault(m.end(), (found[0], found[1] + "某"))


def _repeat_names(text: str, spans: dict[int, tuple[int, str]]) -> None:
    """Every other place in ``text`` where a name already found in it stands (a reply names
    ``徐飞鹏儿子`` once and ``徐飞鹏`` twenty times without a cue): into ``spans``. A two-character
    name only when its surname is no common word (:data:`WEAK_SURNAMES`: 我是方圆。 must not make
    方圆十里 a name) and it is not a compound surname alone (邻居欧阳反映, then 欧阳某)."""
    names = {text[start:end]: repl for start, (end, repl) in spans.items()
             if end - start >= 3 or (text[start] not in WEAK_SURNAMES and text[start:end] not in _COMPOUND_SET)}
    for name, repl in names.items():
        at = text.find(name)
        while at >= 0:
            if text[at + len(name):at + len(name) + 1] != "某":  # 欧阳某: masked already
                spans.setdefault(at, (at + len(name), repl))
            at = text.find(name, at + len(name))


def name_spans(text: str) -> list[tuple[int, int, str]]:
    """The third-party names in ``text`` (rule: the module docstring) as ``(start, end,
    replacement)`` spans of ``text``, replacement = surname + 某; sorted, not overlapping."""
    spans: dict[int, tuple[int, str]] = {}
    for m in _STRONG_RE.finditer(text):
        for i in _name_ends(text, m.start()):
            _name_before(text, i, spans)
    for m in _BEFORE_RE.finditer(text):
        start = m.end()
        for size in (4, 3, 2):
            end = start + size
            if end > len(text):
                continue
            surname = _surname_at(text, start, end)
            if surname and _ends_clause(text, end):
                spans.setdefault(start, (end, surname + "某"))
                break
    _cue_names(text, spans)
    _repeat_names(text, spans)
    _add_listed(text, spans)
    out, last = [], -1
    for start in sorted(spans):
        end, repl = spans[start]
        if start >= last:
            out.append((start, end, repl))
            last = end
    return out
