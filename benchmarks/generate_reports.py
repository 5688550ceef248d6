"""Seeded generator of realistic Chinese government annual reports, each with the facts it plants.

Every report is a portal page as governments publish it: a header block
(``索 引 号:`` … ``时效:``), the title, ``发布时间:… 来源:…``, then a body
numbered ``一、`` › ``(一)``/``（一）`` › ``1.``/``1、``. Its sentences carry
figures with units and qualifiers (``3000余件``, ``八百多次``, ``90%以上``,
``约1.5亿元``), several look-alike figures to a sentence. Each planted figure
is returned as a :class:`Fact` with the exact sentence that holds it, so a
benchmark or test can ask a question whose answer is known.

Report ``i`` depends only on ``seed`` and ``i``: a corpus of 20 is the first
20 reports of a corpus of 200. ``python benchmarks/generate_reports.py OUT -n 200``.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from dataclasses import asdict, dataclass
from pathlib import Path

YEARS = (2021, 2022, 2023, 2024, 2025)

# Province: governments, "city/district" for districts and counties. Real names, ≥ 60 of them.
_GOVERNMENTS = """
山西省: 山西省 大同市 太原市 大同市/云冈区 大同市/平城区 太原市/小店区 太原市/迎泽区 晋中市/平遥县 长治市/潞州区 运城市/盐湖区 临汾市/尧都区 忻州市/五台县 朔州市/怀仁市
河南省: 河南省 濮阳市 濮阳市/南乐县 濮阳市/清丰县 郑州市/金水区 洛阳市/栾川县 开封市/兰考县 南阳市/西峡县 信阳市/固始县
湖南省: 湖南省 岳阳市 长沙市 岳阳市/岳阳楼区 岳阳市/岳阳县 岳阳市/平江县 长沙市/岳麓区 长沙市/浏阳市 株洲市/醴陵市 湘潭市/韶山市 常德市/桃源县 郴州市/资兴市
湖北省: 宜昌市 武汉市/江岸区 宜昌市/夷陵区 襄阳市/枣阳市 荆州市/公安县 黄冈市/麻城市
江苏省: 苏州市 苏州市/吴江区 无锡市/江阴市 南京市/江宁区 徐州市/沛县 盐城市/东台市 扬州市/高邮市
浙江省: 浙江省 宁波市 杭州市/余杭区 宁波市/鄞州区 温州市/乐清市 湖州市/安吉县 金华市/义乌市 丽水市/龙泉市
广东省: 佛山市 广州市/天河区 深圳市/龙岗区 佛山市/顺德区 韶关市/乳源瑶族自治县 梅州市/梅县区 肇庆市/四会市
四川省: 四川省 绵阳市 成都市/武侯区 成都市/郫都区 绵阳市/江油市 宜宾市/翠屏区 阿坝藏族羌族自治州/汶川县 凉山彝族自治州/西昌市
山东省: 潍坊市 济南市/历下区 青岛市/黄岛区 潍坊市/寿光市 临沂市/沂南县 菏泽市/曹县
河北省: 保定市 石家庄市/正定县 保定市/涿州市 张家口市/崇礼区 邯郸市/涉县
内蒙古自治区: 鄂尔多斯市 呼和浩特市/赛罕区 鄂尔多斯市/准格尔旗 包头市/昆都仑区
云南省: 昆明市/五华区 大理白族自治州/大理市 红河哈尼族彝族自治州/建水县
甘肃省: 天水市 兰州市/城关区 天水市/秦州区 张掖市/甘州区
福建省: 福州市/鼓楼区 泉州市/晋江市 南平市/武夷山市
江西省: 赣州市 南昌市/青山湖区 赣州市/瑞金市 九江市/庐山市
陕西省: 西安市/雁塔区 延安市/宝塔区 汉中市/勉县
"""

# Topic: (heading phrases "a|b|…", fact sentences, prose sentences). In a fact sentence each
# [indicator|unit|lo-hi] is a planted figure; "*lo-hi" is a fraction/multiple of the slot before it.
# {lvl} 区/县/市/省, {all} 全区…, {chief} 区长…, {short} 云冈区, {year}, {next}. For "pairs"
# topics (listed items) heading i goes with prose sentence i.
_TOPICS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "政务服务": ("深化“放管服”改革,持续优化政务服务|政府职能依法全面履行,服务效能不断提高|加大简政放权力度,优化政务公共服务|推进政务服务标准化规范化便利化", (
        "{lvl}政务服务大厅进驻审批、住建、人社等[进驻政务服务大厅的窗口部门|个|8-40]窗口部门,承接行政审批事项[承接的行政审批事项|项|80-600]",
        "全年共受理各类审批事项[受理的各类审批事项|件|3000-60000],按时办结率[审批事项按时办结率|%|98-100]",
        "政务服务事项网上可办率达[政务服务事项网上可办率|%|85-100]",
        "全年“好差评”累计评价[“好差评”累计评价|条|500-6000],好评率[“好差评”好评率|%|97.0-99.9]",
        "开展证明事项清理,取消证明材料[取消的证明材料|项|10-120],审批时限平均压缩[审批时限压缩比例|%|30-75]"),
        ("全面推进线上办事“一网通办”,企业群众办事“全程网办”和“最多跑一次”。全面实行“前台综合受理、后台分类审批、统一窗口出件”的服务模式。"
        "大力推进政务服务跨省通办,优化业务流程,强化业务协同。全面推行“证照分离”改革,做到“只进一扇门、办成多件事”。"
        "严格执行市场准入负面清单,全面推进宽进严管、协同共治。依托政务服务平台公布权责清单并动态调整。")),
    "规范性文件管理": ("加强行政规范性文件监督管理|完善依法行政制度体系|严格规范性文件合法性审核", (
        "全年制定出台行政规范性文件[制定出台的行政规范性文件|件|3-40],合法性审核率[规范性文件合法性审核率|%|100-100]",
        "开展规范性文件清理工作,共清理文件[清理的规范性文件|件|20-300],废止[废止的规范性文件|件|2-40]",
        "规范性文件报备率[规范性文件报备率|%|100-100],报备及时率[规范性文件报备及时率|%|95-100]",
        "全年审核各类合同及政策文件[审核的合同及政策文件|份|30-400]"),
        ("规范性文件出台前必经征求意见、合法性审核、集体审议等程序。严格落实规范性文件备案审查制度,做到有件必备、有备必审、有错必纠。"
        "未发生规范性文件被上级机关责令改正或者撤销的情况。建立规范性文件定期清理和动态调整机制。")),
    "重大行政决策": ("健全依法决策机制,确保重大行政决策科学民主合法|严格落实重大行政决策程序|推进行政决策科学化民主化法治化", (
        "全年作出重大行政决策[作出的重大行政决策|项|2-20],均履行公众参与、专家论证、风险评估、合法性审查和集体讨论决定程序",
        "法律顾问全年参与行政决策及审查重要合同[法律顾问参与决策及审查合同|次|20-300]",
        "公职律师和法律顾问代理行政诉讼案件[法律顾问代理的行政诉讼案件|件|5-60]",
        "对[开展合法性审查的决策事项|项|10-150]决策事项开展合法性审查,提出审查意见[合法性审查意见|条|20-400]"),
        ("制定并公开年度重大行政决策事项目录,接受公众监督。涉及企业和特定群体利益的决策事项,充分听取相关部门和群众意见。"
        "行政机关主要负责人作出重大决策前,注重听取法律顾问和公职律师意见。建立重大行政决策后评估制度,及时调整完善相关政策措施。")),
    "行政执法": ("行政执法严格规范公正文明|全面推行行政执法“三项制度”|深化综合行政执法体制改革|全面落实行政执法责任", (
        "全年开展各类执法检查[开展的执法检查|次|200-3000]",
        "评查行政执法案卷[评查的行政执法案卷|份|80-900],发现问题[案卷评查发现的问题|个|10-120]并全部整改",
        "全年办理行政处罚案件[办理的行政处罚案件|件|100-2500],罚没款[罚没款|万元|20-900]",
        "组织执法人员培训[行政执法人员培训|期|3-20],培训执法人员[参训的行政执法人员|人次|200-3000]",
        "乡镇(街道)全年投入综合行政执法经费[综合行政执法经费|万元|50-600]",
        "行政处罚案件法制审核率[行政处罚案件法制审核率|%|100-100]"),
        ("全面落实行政执法裁量基准,严格推行两人执法、亮证执法。在执法过程中推行说理式执法,做到事前讲法、事中说理、事后解释。"
        "完善行政执法和刑事司法衔接机制,推进“两法衔接”信息平台应用。在政府网站及时公开行政执法主体、行政检查事项清单和年度检查计划。"
        "推行“综合查一次”,减少对市场主体的干扰。")),
    "行政复议": ("加强行政复议工作,发挥化解行政争议主渠道作用|依法化解行政争议|深化行政复议体制改革", (
        "全年共收到行政复议申请[收到的行政复议申请|件|20-400],受理[受理的行政复议案件|件|*0.6-0.95],审结[审结的行政复议案件|件|*0.7-0.98]",
        "行政复议纠错率[行政复议纠错率|%|3.0-25.0]",
        "通过调解、和解方式结案[调解和解结案的行政复议案件|件|3-60]",
        "行政复议决定履行率[行政复议决定履行率|%|100-100]"),
        ("推行行政复议重大案件分析研判审理模式。增强行政复议个案监督纠错力度,从源头上预防和减少行政争议。"
        "积极发挥行政调解作用,推动行政争议实质性化解。在{lvl}政务服务中心设立行政复议受理窗口,方便群众申请。")),
    "行政应诉": ("自觉接受司法监督,落实行政机关负责人出庭应诉制度|规范行政应诉工作|科学有效落实对行政权力的制约和监督", (
        "全年共发生行政诉讼案件[行政诉讼案件|件|10-300],行政机关负责人出庭应诉率[行政机关负责人出庭应诉率|%|95-100]",
        "{chief}、副{chief}带头出庭应诉[主要负责人带头出庭应诉|次|2-20]",
        "行政诉讼败诉率[行政诉讼败诉率|%|1.0-9.5],较上年下降[行政诉讼败诉率较上年下降|%|0.5-5.0]",
        "组织[旁听庭审的领导干部|名|40-600]领导干部旁听行政诉讼案件庭审",
        "办理司法建议、检察建议[办理的司法建议和检察建议|件|2-40],按期办复率[司法建议检察建议按期办复率|%|100-100]"),
        ("尊重并执行法院生效裁判,全年无不履行法院生效判决情况。建立行政败诉案件分析通报制度,以案促改、以案促治。"
        "发挥人大监督、民主监督、审计监督等各类监督作用,形成监督合力。")),
    "法律援助": ("持续开展法律援助工作|完善公共法律服务体系|加强公共法律服务体系建设", (
        ("{lvl}公共法律服务中心全年共受理法律援助案件[受理的法律援助案件|件|60-900],"
         "值班律师提供法律帮助[值班律师提供法律帮助|件|*0.4-0.9],提供法律咨询[提供法律咨询|件|*1.2-3.0]"),
        "为农民工等困难群众挽回经济损失[为困难群众挽回经济损失|万元|30-900]",
        "法律援助案件办结率[法律援助案件办结率|%|95-100],受援群众满意率[受援群众满意率|%|96.0-99.9]",
        "办理刑事案件法律援助[刑事法律援助案件|件|20-300],其中审判阶段普通程序案件[审判阶段普通程序法律援助案件|件|*0.3-0.8]"),
        ("建成{lvl}、乡镇(街道)、村(社区)三级公共法律服务平台。推行法律援助“掌上办”“一次办”,降低法律援助门槛。"
        "在经济开发区设置公共法律服务工作站,为企业提供“一站式”法律服务。")),
    "人民调解": ("积极有效化解社会矛盾纠纷|坚持和发展新时代“枫桥经验”|健全矛盾纠纷多元化解机制", (
        "全年排查化解矛盾纠纷[化解的矛盾纠纷|起|300-5000],化解率[矛盾纠纷化解率|%|95.0-99.9]",
        "{all}共有人民调解委员会[人民调解委员会|个|50-400],人民调解员[人民调解员|人|200-3000]",
        "人民调解组织共受理纠纷[人民调解组织受理的纠纷|件|200-4000],调解成功[人民调解成功的纠纷|件|*0.9-0.99]",
        "成功调解景区、物业等行业性纠纷[调解的行业性纠纷|件|20-400]"),
        ("推广“预防在前、调解优先”工作法。本区域人民调解委员会实现全覆盖。推动人民调解、行政调解、司法调解衔接联动。"
        "设立专业性、行业性调解组织,化解重点领域矛盾纠纷。")),
    "普法宣传": ("深入开展法治宣传教育|严格落实“谁执法谁普法”普法责任制|推进“八五”普法规划实施", (
        "全年组织开展普法宣传活动[开展的普法宣传活动|次|100-1500]",
        "培养“法律明白人”[培养的“法律明白人”|人|300-5000]",
        "法治副校长深入中小学开展送法进校园活动[送法进校园活动|场|10-200]",
        "发放宣传资料[发放的普法宣传资料|份|5000-80000],受教育群众[普法受教育群众|人次|10000-300000]",
        "为[安装普法宣传栏的中小学|所|10-120]中小学安装普法宣传栏"),
        ("利用融媒体平台开设《以案释法》栏目,在执法实践中开展警示教育。围绕宪法宣传周、民法典宣传月等时间节点开展集中宣传。"
        "推进法治文化阵地建设,打造法治文化公园和法治广场。")),
    "突发事件应对": ("完善突发事件应对机制,提高依法处置能力|依法有效应对突发事件|加强应急管理体系建设", (
        "全年组织开展各类应急演练[开展的应急演练|次|10-300],参演人员[应急演练参演人员|人次|500-20000]",
        "排查整改安全隐患[排查整改的安全隐患|处|200-5000]",
        "修订完善各类应急预案[修订的应急预案|项|5-80]",
        "储备应急物资价值[应急物资储备价值|万元|50-2000]"),
        ("坚持运用法治思维和法治方式应对突发事件,依法分级分类完善应急机制。完善乡镇(街道)、村(社区)应急处置组织体系。"
        "健全突发事件信息发布和舆情应对机制。{year}年汛期开展防汛应急演练,有效提升先期处置和快速反应能力。")),
    "法治培训": ("政府工作人员法治思维和依法行政能力全面提高|加强法治素养和法治能力培养|抓好领导干部学法用法", (
        "全年开展习近平法治思想专题培训[法治专题培训|期|2-20],覆盖科级以上干部[专题培训覆盖的干部|人次|80-2000]",
        "举办法治讲座[法治讲座|场|3-40],受训人数[法治讲座受训人数|人|100-3000]",
        "政府常务会议会前学法[常务会议会前学法|次|4-24]",
        "领导干部学法考试参考率[学法考试参考率|%|97-100],合格率[学法考试合格率|%|95-100]"),
        ("将习近平法治思想纳入党校主体班必修课程。严格落实领导干部学法制度,把宪法列入理论学习中心组年度学习计划。"
        "组织开展国家工作人员旁听庭审活动。举办行政机关宪法及党内法规和国家法律知识竞赛。")),
    "法治建设责任落实": ("坚持党的领导,扛牢主体责任|加强党对法治政府建设的领导|党对法治政府建设组织领导落实到位", (
        "{lvl}委常委会全年听取和专题研究法治建设工作[党委常委会研究法治建设|次|2-12]",
        "政府常务会研究法治政府建设工作[政府常务会研究法治政府建设|次|2-15]",
        "各部门全年报送法治政府建设信息简报[报送的法治建设信息简报|条|100-2000]",
        "对[接受法治建设督察考核的单位|家|20-150]单位开展法治建设督察考核"),
        ("把坚持党的领导贯穿法治政府建设各方面全过程。按时向本级党委、人大和上级政府报告上年度法治政府建设情况。"
        "法治建设议事协调机构认真履行职责。")),
    "预算管理": ("财政实力稳步增强|依法加强预算管理|经济运行稳中向好", (
        "全年一般公共预算收入[一般公共预算收入|亿元|2.0-60.0],同比增长[一般公共预算收入增长|%|1.0-12.0]",
        "一般公共预算支出[一般公共预算支出|亿元|5.0-99.0],其中民生支出占比[民生支出占比|%|70-85]",
        "地区生产总值[地区生产总值|亿元|100.0-3000.0],增长[地区生产总值增长|%|3.0-8.0]",
        "压减一般性支出[压减的一般性支出|万元|300-9000]",
        "争取上级转移支付资金[上级转移支付资金|亿元|1.0-40.0]"),
        ("严格执行{lvl}人大批准的预算,坚持过紧日子。全面实施预算绩效管理,提高财政资金使用效益。"
        "依法向{lvl}人大常委会报告预算执行情况,自觉接受人大监督。")),
    "民生保障": ("民生福祉持续改善|用心用情保障和改善民生|社会事业全面进步", (
        "城镇新增就业[城镇新增就业|人|2000-30000],城镇调查失业率控制在[城镇调查失业率|%|4.5-5.5]",
        "新建、改扩建中小学和幼儿园[新建改扩建的学校|所|3-40],新增学位[新增学位|个|1000-20000]",
        "发放各类救助资金[发放的救助资金|万元|500-20000],惠及困难群众[救助惠及的困难群众|人次|2000-80000]",
        "完成老旧小区改造[改造的老旧小区|个|10-200]"),
        "坚持尽力而为、量力而行,办好民生实事。基本养老、基本医疗保险参保率稳定在较高水平。"),
    "主动公开": ("主动公开|主动公开政府信息情况|加大主动公开力度", (
        "全年通过政府门户网站主动公开政府信息[主动公开的政府信息|条|500-20000]",
        "公开规范性文件[主动公开的规范性文件|件|3-60],发布政策解读[政策解读|篇|10-300]",
        "召开新闻发布会[新闻发布会|场|3-60]",
        "制定政务公开事项清单[政务公开事项清单|项|200-2000]"),
        "围绕重点领域信息公开,及时发布财政预决算、重大建设项目等信息。坚持“公开为常态、不公开为例外”原则。"),
    "依申请公开": ("依申请公开|规范依申请公开办理", (
        "全年共收到政府信息公开申请[收到的政府信息公开申请|件|10-500],办结[办结的政府信息公开申请|件|*0.85-1.0]",
        "依申请公开答复按时办结率[依申请公开按时办结率|%|100-100],其中网上申请占比[网上申请占比|%|40-90]"),
        "严格按照法定时限答复,规范答复文书格式。畅通依申请公开受理渠道,提供现场、信函、网络等多种申请方式。"),
    "信息公开争议化解": ("政府信息公开行政复议、行政诉讼情况|依法应对信息公开争议", (
        "因政府信息公开引发行政复议[因政府信息公开引发的行政复议|件|0-20],行政诉讼[因政府信息公开引发的行政诉讼|件|0-10]",
        "信息公开复议诉讼案件被纠错[信息公开复议诉讼被纠错|件|0-3]"),
        "未发生因政府信息公开被追究责任的情况。"),
    "政务公开平台建设": ("平台建设|加强政务公开平台建设|政府信息管理", (
        "开设政务新媒体账号[政务新媒体账号|个|5-80],全年发布信息[政务新媒体发布的信息|条|1000-30000]",
        "政府网站全年访问量[政府网站访问量|万人次|10-900]",
        "组织政务公开业务培训[政务公开业务培训|次|2-20],参训人员[政务公开培训人员|人次|50-1500]"),
        "加强政府网站集约化建设,完善栏目设置。规范政务新媒体管理,建立健全内容审核机制。"),
    "政府信息管理": ("政府信息管理|加强政府信息管理|规范政府信息公开属性认定", (
        "全年清理政府信息[清理的政府信息|条|100-3000],更新完善公开目录[更新的公开目录|项|20-400]",
        "对[开展公开属性源头认定的公文|件|200-5000]公文开展公开属性源头认定"),
        "严格落实政府信息公开保密审查制度,做到先审查、后公开。建立政府信息动态管理机制,及时调整失效信息。"),
    "政务公开监督保障": ("监督保障|强化政务公开监督保障|健全政务公开工作机制", (
        "将政务公开纳入年度绩效考核,考核分值占比[政务公开考核分值占比|%|2-8]",
        "开展政务公开第三方评估[政务公开第三方评估|次|1-4],整改问题[政务公开整改的问题|个|5-60]"),
        "成立政务公开工作领导小组,明确分管领导和工作人员。定期开展政府网站和政务新媒体检查。"),
    "不足": ("行政执法规范化水平有待提升|普法宣传精准性不够|执法队伍建设与协同联动薄弱|法治人才队伍建设存在短板", (),
        ("部分执法人员对“全过程记录”的范围和标准掌握不精准,执法人员常态化培训缺乏针对性。"
        "传统宣传形式占比较高,新媒体运用不足,对年轻群体吸引力弱。基层执法人员及装备配备不能满足现实需求,个别单位联动共治不足。"
        "法治工作人员总体偏少,专业化水平不高。")),
    "第一责任人": ("", (
        "{all}各级领导全年对法治政府建设工作作出指示、批示[作出的法治建设指示批示|次|20-400]",
        "参加年度述法的党政主要负责人共[参加述法的党政主要负责人|人|20-200]"),
        "制定党政主要负责人履行推进法治建设第一责任人职责年度工作清单。各级党政领导依法执政、依法行政意识进一步加强。"),
    "法治安排": ("持续深入学习贯彻习近平法治思想|深化法治政府示范创建|健全依法化解纠纷机制|严格规范公正文明执法", (),
        ("举办习近平法治思想专题培训班,不断提升干部运用法治思维和法治方式开展工作的能力。按照示范创建指标体系查漏补缺,推动法治政府建设提质增效。"
        "健全信访、调解、行政复议、诉讼等矛盾纠纷多元预防调处化解综合机制。加强行政执法队伍建设,全面提升执法质量。")),
    "工作安排": ("着力扩大有效需求|持续优化营商环境|加快建设法治政府|用心用情办好民生实事", (),
        ("抓好重大项目建设,促进消费持续恢复。深化“放管服”改革,打造市场化法治化国际化营商环境。"
        "自觉接受人大法律监督、政协民主监督,严格规范公正文明执法。扎实办好年度民生实事,兜牢基本民生底线。")),
    "公开问题": ("政策解读形式不够丰富|依申请公开答复质量有待提升|基层政务公开标准化建设不够均衡", (),
        "下一步将运用图解、视频等多种形式开展政策解读。加强答复文书法制审核,提升答复规范化水平。推进基层政务公开标准目录动态更新。"),
    "公开其他": ("", (
        "全年办理人大代表建议和政协提案[办理的人大代表建议和政协提案|件|50-600]",),
        "本年度未收取信息处理费。政务公开工作年度考核已按要求完成。"),
}
# Officialese filler, as these reports are full of it: verb, {k} the topic's name, object, measure, purpose.
_FILLER = (
    ("深入推进", "持续深化", "不断健全", "着力加强", "进一步规范", "统筹推进", "持续完善"),
    ("工作机制", "制度体系", "队伍建设", "信息化建设", "监督考核", "标准化建设", "协调联动", "基层基础工作"),
    ("建立健全定期会商、信息共享机制", "实行清单化管理、项目化推进", "压紧压实各方责任", "强化督促检查和跟踪问效",
     "细化任务分工和完成时限", "加强部门协作和上下联动", "注重总结提炼典型经验", "聚焦群众反映强烈的突出问题"),
    ("切实提升{k}规范化水平", "推动{k}提质增效", "确保各项要求落到实处", "为{all}经济社会高质量发展提供有力保障",
     "不断增强人民群众获得感和满意度", "形成上下联动、协同推进的工作格局", "推动{k}工作迈上新台阶"),
    ("{v}{k}{o},{m},{p}", "围绕{k},{v}{o},{p}", "坚持把{k}摆在重要位置,{m},{p}", "{m},{v}{k}{o}",
     "结合{year}年工作实际,{v}{k}{o},{p}"),
)


@dataclass(frozen=True)
class _Kind:
    slug: str
    titles: tuple[str, ...]  # formats over {place} {year}
    opening: str
    main: str  # heading of part one, variants "a|b"
    topics: tuple[str, ...]
    tails: tuple[tuple[str, str, str], ...]  # (heading, topic, "pairs" | "flat")
    month: int  # published by the end of this month of the next year


_KINDS: dict[str, _Kind] = {
    "法治政府建设年度报告": _Kind(
        "fazhi",
        ("{place}{year}年法治政府建设年度报告", "{place}人民政府关于{year}年度法治政府建设工作情况的报告", "{place}{year}年度法治政府建设情况报告"),
        "{year}年,{short}深入贯彻落实党中央、国务院关于法治政府建设的决策部署,以习近平法治思想为根本遵循,立足实际,"
        "扎实推进法治政府建设各项工作,为经济社会高质量发展提供了有力法治保障。现将本年度法治政府建设情况报告如下。",
        "本年度推进法治政府建设的主要举措和成效|{year}年推进法治政府建设的主要举措和成效|主要工作举措和成效",
        ("政务服务", "规范性文件管理", "重大行政决策", "行政执法", "行政复议", "行政应诉", "法律援助", "人民调解", "普法宣传",
         "突发事件应对", "法治培训", "法治建设责任落实"),
        (("本年度推进法治政府建设存在的不足和原因", "不足", "pairs"),
         ("党政主要负责人履行推进法治建设第一责任人职责情况", "第一责任人", "flat"),
         ("{next}年推进法治政府建设的主要安排", "法治安排", "pairs")),
        3),
    "政府工作报告": _Kind(
        "gongzuo",
        ("{place}政府工作报告",),
        "——{next}年1月{day}日在{place}第{congress}届人民代表大会第{session}次会议上\n各位代表:\n"
        "现在,我代表{short}人民政府,向大会报告政府工作,请予审议,并请政协委员提出意见。",
        "{year}年工作回顾|过去一年的工作回顾",
        ("预算管理", "民生保障", "政务服务", "突发事件应对", "行政复议", "普法宣传", "行政执法", "法律援助"),
        (("{next}年工作安排", "工作安排", "pairs"),),
        2),
    "政府信息公开工作年度报告": _Kind(
        "gongkai",
        ("{place}{year}年政府信息公开工作年度报告", "{place}{year}年政务公开工作年度报告"),
        "本报告根据《中华人民共和国政府信息公开条例》和上级有关要求编制。报告所列数据统计期限自{year}年1月1日起至{year}年12月31日止。",
        "总体情况",
        ("主动公开", "依申请公开", "信息公开争议化解", "政务公开平台建设", "政府信息管理", "政务公开监督保障",
         "规范性文件管理", "重大行政决策"),
        (("存在的主要问题及改进情况", "公开问题", "pairs"), ("其他需要报告的事项", "公开其他", "flat")),
        1),
}
# size: (target chars, topics, fact sentences per topic, tail parts, items per tail part)
_SIZES: dict[str, tuple[int, tuple[int, int], tuple[int, int], int, int]] = {
    "small": (800, (2, 2), (1, 2), 1, 1),
    "medium": (3000, (4, 6), (2, 3), 3, 2),
    "large": (8000, (10, 12), (3, 5), 3, 3),
}
_SLOT = re.compile(r"\[([^|\]]+)\|([^|\]]+)\|(\*?)([\d.]+)-([\d.]+)\]")
_FULL_WIDTH = str.maketrans({",": "，", "(": "（", ")": "）", ":": "："})
_DIGITS = "零一二三四五六七八九"


@dataclass(frozen=True)
class Fact:
    """A figure planted in a report: ``figure`` stands verbatim in ``sentence``, which stands verbatim in the text."""

    indicator: str  # what it counts, in Chinese: 受理的法律援助案件
    value: str  # the number as written, without qualifier or unit: 249, 3000, 八百, 1.35
    unit: str  # 件, 次, 人次, %, 万元, 亿元 …
    sentence: str
    qualifier: str  # "", 约, 余, 多, 以上
    figure: str  # as written: 249件, 3000余件, 八百多次, 约1.35亿元, 90%以上
    amount: float  # the value as a number (八百 → 800)


@dataclass
class GeneratedReport:
    path: Path
    place: str  # the government: 大同市云冈区
    year: int  # the year the figures describe
    kind: str  # 法治政府建设年度报告, 政府工作报告, 政府信息公开工作年度报告
    title: str
    facts: list[Fact]


@dataclass(frozen=True)
class _Government:
    full: str  # 大同市云冈区
    short: str  # 云冈区
    scale: int  # volumes grow with the level of government

    @property
    def level(self) -> str:  # 区, 县, 市, 省, 旗
        return self.short[-1]


def _governments() -> list[_Government]:
    governments = []
    for line in _GOVERNMENTS.strip().splitlines():
        province, entries = line.split(":")
        for entry in entries.split():
            city, _, district = entry.partition("/")
            scale = 1 if district else 20 if entry == province else 5
            governments.append(_Government(city + district, district or city, scale))
    return governments


def _chinese(n: int) -> str:
    """0 < n < 10000 in Chinese numerals: 12 → 十二, 800 → 八百, 2000 → 两千, 1050 → 一千零五十."""
    digits, out, zero = str(n), "", False
    for i, d in enumerate(digits):
        place = len(digits) - 1 - i
        if d == "0":
            zero = True
            continue
        out += ("零" if zero and out else "") + ("两" if d == "2" and place >= 3 else _DIGITS[int(d)])
        out += ("", "十", "百", "千")[place]
        zero = False
    return out[1:] if out.startswith("一十") else out


def _plan(seed: int, n: int) -> list[tuple[_Government, str, int]]:
    """(government, kind, year) of reports 0..n-1: governments round-robin, no (government, kind, year) twice."""
    governments = _governments()
    random.Random(seed).shuffle(governments)
    if n > len(governments) * len(_KINDS) * len(YEARS):
        raise ValueError(f"at most {len(governments) * len(_KINDS) * len(YEARS)} distinct reports")
    schedules: dict[str, list[tuple[str, int]]] = {}
    plan = []
    for i in range(n):
        government = governments[i % len(governments)]
        if government.full not in schedules:
            schedules[government.full] = _schedule(random.Random(f"{seed}:{government.full}"))
        plan.append((government, *schedules[government.full][i // len(governments)]))
    return plan


def _schedule(rng: random.Random) -> list[tuple[str, int]]:
    """One government's (kind, year) in turn: about half of the first rounds are 法治政府建设 reports."""
    first, *others = _KINDS
    fazhi = [(first, year) for year in YEARS]
    other = [(kind, year) for kind in others for year in YEARS]
    rng.shuffle(fazhi)
    rng.shuffle(other)
    schedule: list[tuple[str, int]] = []
    while fazhi or other:
        schedule.extend(pool.pop() for pool in ((fazhi, other) if rng.random() < 0.5 else (other, fazhi)) if pool)
    return schedule


class _Writer:
    """One report: draws its text with a private random stream and records the facts it plants."""

    def __init__(self, rng: random.Random, government: _Government, kind: _Kind, year: int, size: str) -> None:
        self.rng, self.government, self.kind, self.year = rng, government, kind, year
        self.target, self.n_topics, self.n_facts, self.n_tails, self.n_items = _SIZES[size]
        level = government.level
        self.context = {
            "place": government.full, "short": government.short, "year": year, "next": year + 1, "lvl": level,
            "all": "全" + level, "chief": level + "长", "day": rng.randint(5, 25),
            "congress": rng.choice(("十六", "十七", "十八")), "session": rng.choice("一二三四五"),
        }
        self.full_width = rng.random() < 0.5  # ，（）： in the text instead of ,():
        self.parens = rng.choice(("()", "（）", "()（）"))  # the last mixes both within one report
        self.item_mark = rng.choice((".", ".", "、", "、", "．"))
        self.facts: list[Fact] = []
        self.used: set[str] = set()  # indicators planted and filler said, so neither comes twice

    def text(self, template: str) -> str:
        text = template.format(**self.context)
        return text.translate(_FULL_WIDTH) if self.full_width else text

    def render(self) -> tuple[str, str]:
        """(title, full text of the report)."""
        rng, kind, year = self.rng, self.kind, self.year
        title = self.text(rng.choice(kind.titles))
        day = f"{year + 1}-{rng.randint(1, kind.month):02d}-{rng.randint(1, 28):02d}"
        when = f"{day} {rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}"
        office = rng.choice(("人民政府", "人民政府办公室", "司法局" if kind.slug == "fazhi" else "人民政府"))
        source = self.government.short + office
        header = [
            f"索 引 号:{rng.choice(('', f'{rng.randint(10**8, 10**9 - 1):011d}/{year + 1}-{rng.randint(1, 999):05d}'))}",
            f"信息分类: {year}", f"发布机构:{rng.choice(('', source))}", f"发布日期: {when}", f"标题: {title}",
            f"文号:{rng.choice(('', '', f'{self.government.short[0]}政发〔{year + 1}〕{rng.randint(1, 60)}号'))}",
            f"时效:{rng.choice(('', '有效'))}", "", title, "", f"发布时间:{when} 来源:{source}",
        ] + (["| | | |"] if rng.random() < 0.5 else [])
        tail = [line for i in range(min(self.n_tails, len(kind.tails))) for line in self._tail(kind, i)]
        paragraphs = [self.text(kind.opening), "一、" + self.text(rng.choice(kind.main.split("|")))]
        topics = rng.sample(kind.topics, min(rng.randint(*self.n_topics), len(kind.topics)))
        budget = (self.target - sum(map(len, header + paragraphs + tail))) // len(topics)
        for number, topic in enumerate(topics, 1):
            paragraphs += self._topic(number, topic, budget)
        footer = ["扫一扫在手机上查看当前页面"] if rng.random() < 0.3 else []
        body = rng.choice(("\n\n", "\n")).join(paragraphs + tail + footer)
        text = "\n".join(header) + "\n\n" + body + "\n"
        self.facts.sort(key=lambda fact: text.find(fact.sentence))
        return title, text

    def _marker(self, n: int) -> str:
        pair = self.rng.choice((self.parens[:2], self.parens[-2:]))
        return f"{pair[0]}{_chinese(n)}{pair[1]}"

    def _topic(self, number: int, topic: str, budget: int) -> list[str]:
        """A ``(一)`` section of about ``budget`` characters: heading alone, heading running into 一是/二是…,
        or numbered items."""
        rng = self.rng
        phrases = [self.text(p) for p in _TOPICS[topic][0].split("|")]
        rng.shuffle(phrases)
        drawn = self._draw(topic, budget - len(phrases[0]))
        style = rng.choice(("plain", "runin", "items") if len(phrases) > 2 and len(drawn) > 2 else ("plain", "runin"))
        if style == "runin":
            ordinals = 1 < len(drawn) <= 6 and rng.random() < 0.6
            said = [self._say(f"{_chinese(i)}是" if ordinals else "", d) for i, d in enumerate(drawn, 1)]
            return [f"{self._marker(number)}{phrases[0]}。" + "".join(said)]
        if style == "items":
            n_items = min(len(phrases) - 1, len(drawn), 3)
            items = [
                f"{i + 1}{self.item_mark}{phrases[i + 1]}。" + "".join(self._say("", d) for d in drawn[i::n_items])
                for i in range(n_items)
            ]
            return [f"{self._marker(number)}{phrases[0]}", *(["".join(items)] if rng.random() < 0.15 else items)]
        return [f"{self._marker(number)}{phrases[0]}", "".join(self._say("", d) for d in drawn)]

    def _tail(self, kind: _Kind, index: int) -> list[str]:
        """Parts two, three…: listed items ``(一)问题。说明。`` or one flat paragraph."""
        heading, topic, style = kind.tails[index]
        lines = [f"{_chinese(index + 2)}、{self.text(heading)}"]
        if style == "flat":
            return lines + ["".join(self._say("", d) for d in self._draw(topic, 0))]
        phrases, prose = _TOPICS[topic][0].split("|"), _TOPICS[topic][2].split("。")
        for n, i in enumerate(sorted(self.rng.sample(range(len(phrases)), min(self.n_items, len(phrases)))), 1):
            lines.append(f"{self._marker(n)}{self.text(phrases[i])}。{self.text(prose[i])}。")
        return lines

    def _draw(self, topic: str, budget: int) -> list[tuple[str, list[tuple[str, str, str, str, str, float]]]]:
        """Fact sentences, then prose up to ``budget`` characters, shuffled: (text, facts to record once the
        sentence's final wording is known)."""
        rng, (_, templates, prose) = self.rng, _TOPICS[topic]
        fresh = [t for t in templates if not {m.group(1) for m in _SLOT.finditer(t)} & self.used]
        drawn = [self._fill(self.text(t)) for t in rng.sample(fresh, min(rng.randint(*self.n_facts), len(fresh)))]
        sentences = [s for s in prose.split("。") if s]
        rng.shuffle(sentences)
        length = sum(len(text) + 1 for text, _ in drawn)
        while True:  # the last sentence may stick out of the budget by up to half its length
            sentence = self.text(sentences.pop() if sentences else self._filler(topic))
            if length + len(sentence) / 2 > budget:
                break
            drawn.append((sentence, []))
            length += len(sentence) + 1
        rng.shuffle(drawn)
        return drawn

    def _filler(self, topic: str) -> str:
        """A sentence of officialese about ``topic``, new to this report."""
        verbs, objects, measures, purposes, forms = _FILLER
        pick = self.rng.choice
        while True:
            purpose = pick(purposes).replace("{k}", topic)
            sentence = pick(forms).format(  # {year} stays for text() to fill
                v=pick(verbs), k=topic, o=pick(objects), m=pick(measures), p=purpose, year="{year}")
            if sentence not in self.used:
                self.used.add(sentence)
                return sentence

    def _fill(self, template: str) -> tuple[str, list[tuple[str, str, str, str, str, float]]]:
        rng, pending, previous = self.rng, [], [0.0]

        def slot(match: re.Match[str]) -> str:
            indicator, unit, relative, low, high = match.groups()
            at_break = match.string[match.end(): match.end() + 1] in ("", ",", "，")
            decimals = 0 if relative else len(low.partition(".")[2])
            if relative:
                amount = float(round(previous[0] * rng.uniform(float(low), float(high))))
            elif decimals:
                amount = round(rng.uniform(float(low), float(high)), decimals)
            else:
                amount = float(rng.randint(int(low), int(high)))
            if not relative and unit != "%" and float(high) >= 100:  # volumes scale; meeting counts do not
                amount = round(amount * self.government.scale, decimals)
            qualifier, chinese, roll = "", False, rng.random()
            if unit == "%":
                qualifier = "以上" if roll < 0.12 and at_break and not decimals and amount < 100 else ""
            elif not decimals and amount >= 20 and roll < 0.3:
                qualifier = rng.choice(("余", "多", "约", "以上") if at_break else ("余", "多", "约"))
                chinese = qualifier in ("余", "多") and amount < 10000 and rng.random() < 0.35
                digits = len(str(int(amount)))
                step = 10 ** (digits - (1 if chinese or amount < 100 else 2))
                amount = float(int(amount) // step * step)
            elif decimals and roll < 0.1:
                qualifier = "约"
            previous[0] = amount
            value = _chinese(int(amount)) if chinese else f"{amount:.{decimals}f}"
            figure = {"约": f"约{value}{unit}", "以上": f"{value}{unit}以上"}.get(qualifier, f"{value}{qualifier}{unit}")
            pending.append((indicator, value, unit, qualifier, figure, amount))
            self.used.add(indicator)
            return figure

        return _SLOT.sub(slot, template), pending

    def _say(self, prefix: str, drawn: tuple[str, list[tuple[str, str, str, str, str, float]]]) -> str:
        sentence = f"{prefix}{drawn[0]}。"
        for indicator, value, unit, qualifier, figure, amount in drawn[1]:
            self.facts.append(Fact(indicator, value, unit, sentence, qualifier, figure, amount))
        return sentence


def generate_corpus(out_dir: Path, n_reports: int, seed: int = 0, size: str = "medium") -> list[GeneratedReport]:
    """Write ``n_reports`` reports as UTF-8 .txt files into ``out_dir``; return what each one holds."""
    if size not in _SIZES:
        raise ValueError(f"size must be one of {', '.join(_SIZES)}")
    out_dir.mkdir(parents=True, exist_ok=True)
    reports = []
    for index, (government, kind_name, year) in enumerate(_plan(seed, n_reports)):
        kind = _KINDS[kind_name]
        writer = _Writer(random.Random(f"{seed}:{index}"), government, kind, year, size)
        title, text = writer.render()
        path = out_dir / f"{index:04d}-{year}-{kind.slug}.txt"
        path.write_text(text, encoding="utf-8")
        reports.append(GeneratedReport(path, government.full, year, kind_name, title, writer.facts))
    return reports


def generate_panel(
    out_dir: Path, n_governments: int = 20, years: tuple[int, ...] = (2023, 2024, 2025), seed: int = 0,
    size: str = "medium",
) -> list[GeneratedReport]:
    """法治政府建设年度报告 of the same governments over consecutive years, each with the figures it planted:
    the corpus on which compare, rank, total and trend questions have known answers."""
    if size not in _SIZES:
        raise ValueError(f"size must be one of {', '.join(_SIZES)}")
    governments = _governments()
    random.Random(seed).shuffle(governments)
    kind = _KINDS["法治政府建设年度报告"]
    out_dir.mkdir(parents=True, exist_ok=True)
    reports = []
    for index, government in enumerate(governments[:n_governments]):
        for year in years:
            writer = _Writer(random.Random(f"{seed}:panel:{government.full}:{year}"), government, kind, year, size)
            title, text = writer.render()
            path = out_dir / f"panel-{index:02d}-{year}-{kind.slug}.txt"
            path.write_text(text, encoding="utf-8")
            reports.append(GeneratedReport(path, government.full, year, "法治政府建设年度报告", title, writer.facts))
    return reports


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("-n", "--reports", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--size", choices=list(_SIZES), default="medium")
    parser.add_argument("--manifest", type=Path, help="also write the reports and their facts here, as JSON lines")
    parser.add_argument("--panel", type=int, metavar="N", help="instead: N governments, each reporting 2023–2025")
    args = parser.parse_args(argv)
    if args.panel:
        reports = generate_panel(args.out_dir, args.panel, seed=args.seed, size=args.size)
    else:
        reports = generate_corpus(args.out_dir, args.reports, args.seed, args.size)
    if args.manifest:
        with args.manifest.open("w", encoding="utf-8") as out:
            for report in reports:
                out.write(json.dumps(asdict(report) | {"path": str(report.path)}, ensure_ascii=False) + "\n")
    size = sum(r.path.stat().st_size for r in reports)
    print(f"{len(reports)} reports, {len({r.place for r in reports})} governments, "
          f"{sum(len(r.facts) for r in reports)} facts, {size / 1e6:.2f} MB → {args.out_dir}")


if __name__ == "__main__":
    main()
