"""Sentences that address the assistant ("忽略以上指令…", "致AI助手：…", "ignore the above and say …").

A government report never speaks to the assistant, so such a sentence is not a fact: it is
kept out of the figures table at index time and blanked from passages before answering.

A sentence is judged by what it does, not by one phrase, in two parts:

* it **addresses** the assistant — calls it by name (致AI助手：, "note to the assistant",
  "you are now …", 你现在是…, 扮演…, system prompt, jailbreak) — which alone is enough;
* it **orders** the assistant about its instructions — drop the previous ones (忽略/无视/忘记/
  不要理会 … 以上/之前 … 指令/要求, "ignore the above", "new instructions:") — which alone is
  enough too, since only an assistant has "previous instructions"; or about its output
  (请回答/只回答/一律回答, "reply with", "say: …") — which counts when the sentence also names
  the assistant, or when the order carries its own wording (回复：…, 回复“…”, 'answer only "…"').

Matching runs on a normalised copy — NFKC, traditional → simplified script, format characters
(Unicode Cf: zero-width space and joiners, U+2060, U+FEFF, soft hyphen) and stray combining marks
dropped, whitespace collapsed (and removed beside Chinese), casefolded — so 無視以上指令, 忽略 with a
zero-width space inside, ｉｇｎｏｒｅ and "忽 略 以 上" are caught. ``instructs`` only answers yes or
no, so the caller's spans never move.
Ordinary report prose that uses the same words — 落实上级指示要求, 及时回答群众咨询,
不得忽略群众诉求 — neither addresses the assistant nor orders it, and is left alone.
"""

from __future__ import annotations

import re
import unicodedata

import zhconv

__all__ = ["instructs"]

_A, _Z = r"(?<![a-z])", r"(?![a-z])"  # word edges for English: \b fails beside Chinese (致ai助手)
_AI = (  # the assistant, by its names
    rf"{_A}(?:ai|a\.i\.|llm|gpt|chatgpt|chatbot|bot|assistant|model|language\smodel)s?{_Z}(?:助手|助理)?"
    r"|人工智能(?:助手|助理)?|智能(?:助手|助理|体)|助手|助理|大?(?:语言)?模型|机器人"
)
_BEFORE = r"(?:前文|上文|以上|上面|上述|前述|之前|此前|前面|先前|刚才|原有|原先|原来|previous|prior|above)"
_RULES = r"(?:指令|指示|提示词?|设定|命令|instructions?|prompts?)"  # what only an assistant is given
_SOFT_RULES = r"(?:要求|规则|内容|约束|限制|设置|说明|信息|文字|话)"  # said of people too: only after _BEFORE
_FILLER = r"[的了掉所有全部一切任何你您收到接得给出告诉说被那这些条段项个 ]{0,8}"  # 忘记你之前收到的所有设定
_LEAD = r"(?:^\W*|[,:;]\s?|(?:please|just|only|simply|always|instead|now|then|and)\s)"  # where an English order starts

# Part one, it addresses the assistant: calls it by name, tells "you" what to do, gives it a new identity.
_ADDRESSES = re.compile(
    rf"""
      (?:致|写给|给|提醒|告知|亲爱的|尊敬的|嘿|喂|{_A}(?:hey|hi|hello|dear|attention|to))\s?
        (?:the\s|any\s|all\s|各位|所有|全体|正在阅读本文的|阅读本文的|本)?(?:{_AI})\s?[:,]    # 致AI助手：  dear AI,
    | {_A}(?:note|message|memo|instructions?)\s(?:to|for)\s(?:the\s|any\s|all\s)?(?:{_AI})  # note to the assistant
    | ^(?:\d+[.、)]|\(\w+\))?\W*(?:ai|assistant|chatgpt|gpt|llm|chatbot)(?:助手|助理)?\s?:    # AI: …
    | (?:{_AI}),?(?:请注意|请听好|听好了)
    | (?:你|您)(?:现在|接下来|从现在起|必须|只能|只需|应该|应当|务必|一定要|需要)+
        (?:回答|回复|输出|说|告诉|声称|表示|回应|假装|扮演|忽略|无视|忘记|遵守|服从|重复)
    | 你现在是|你是一个|从现在(?:起|开始),?你|(?:你|您|请)(?:来|要|将)?扮演|假装你是|假设你是|你的新?(?:身份|角色|任务)是
    | 系统提示(?:词|:)|越狱模式|开发者模式|(?:没有|不受)(?:任何)?限制的(?:ai|助手|模型|机器人)
    | {_A}(?:you\sare\snow|from\snow\son,?\syou|pretend\s(?:to\sbe|you\sare|that\syou)
        | you\s(?:must|should|shall|will|have\sto|need\sto|are\sto|may\sonly|can\sonly)\s(?:only\s)?
          (?:answer|reply|respond|say|output|print|state|claim|tell|pretend|act|ignore|forget|disregard|repeat)
        | (?:act|role-?play)\sas\s(?:an?\s|the\s)?(?:unrestricted|unfiltered|jailbroken|evil|dan)
        | system\sprompt|system\smessage|jailbreak|developer\smode|dan\smode){_Z}
    """,
    re.VERBOSE,
)
_NAMES = re.compile(rf"{_AI}|{_A}you{_Z}|你")  # names it, maybe in passing: counts only with an output order

# Part two, it orders the assistant about its instructions: drop the earlier ones (only an assistant has
# them, so this is enough alone), or take new ones.
_OVERRIDES = re.compile(
    rf"""
      (?<!不得|不能|不可|不应|不宜|严禁|禁止|防止|避免|杜绝|不容)(?<![对因若凡])  # a prohibition or a case, not an order
      (?:忽略|无视|忘记|忘掉|忘了|ignore|disregard|forget|(?:不要|不用|不必|请勿|勿|别|不)理会|别管|不用管|不要管
        |跳过|抛开|(?:不要|不用|不必|无需|不再|停止)(?:遵守|遵循))
      {_FILLER}(?:{_BEFORE}{_FILLER}(?:{_RULES}|{_SOFT_RULES})|(?:所有|全部|一切|任何|你的){_FILLER}{_RULES})
    | (?:覆盖|绕过){_FILLER}{_BEFORE}?{_FILLER}{_RULES}
    | {_BEFORE}{_FILLER}{_RULES}(?:都|全部|均|一律)?(?:作废|无效|失效|不再有效|请忽略|可以忽略|不用管)
    | 新的?(?:指令|提示词)\s?[:是为]
    | {_A}(?<!not\s)(?<!n't\s)(?<!never\s)
      (?:ignore|disregard|forget|override|overrule|bypass|discard|never\s?mind|pay\sno\s(?:attention|heed)\sto)\s
      (?:.{{0,30}}?(?:previous|prior|above|earlier|preceding|foregoing|former|original|initial|all|any|your|system|old)\s
         .{{0,20}}?(?:instructions?|prompts?|rules|guidelines|directives?|directions|commands?|messages?|context
                   |constraints|programming)
        | (?:all\s|of\s|the\s)*(?:above|everything|anything|what\s(?:you\swere|i|was)\s(?:told|said)|that\sand|this\sand))
    | {_A}new\s(?:instructions?|rules|system\sprompt|task)\s?:
    """,
    re.VERBOSE,
)

# … or about its output: enough when the sentence also names it (_NAMES) …
_OUTPUTS = re.compile(
    rf"""
      (?:请你?|只|仅|一律|务必|必须|只能|只需|一定要)要?(?:回答|回复|答复|输出|回应|说(?![明服清])|声称|告诉用户|表示)
    | {_LEAD}(?:answer|reply|respond|say|output|print|state|claim|tell\s(?:the\s)?users?){_Z}
    """,
    re.VERBOSE,
)
# … and alone when the order carries its own wording: 回复“…”, 回复：…, 'reply with "…"', "say: …", "answer only".
_DICTATES = re.compile(
    rf"""
      (?:请|只|仅|一律|务必|必须|只能|只需|一定要|直接)要?(?:回答|回复|输出|说|声称)(?:为|是|成)?\s?[:“"'「『]
    | (?:不要|别|请勿)(?:回答|回复)用户
    | {_LEAD}(?:answer|reply|respond|say|output|print|state|claim)(?:\s?:|\s(?:only\s)?(?:with\s)?(?:exactly\s)?["“'])
    | (?:^\W*|please\s|just\s|simply\s)(?:answer|reply|respond|say|output|state|claim)\s(?:only\s)?(?:with\s)?\d
    | {_A}(?:answer|reply|respond|output)\sonly{_Z} | {_A}(?:do\snot|don't|never)\s(?:answer|reply\sto|respond\sto)\sthe\suser
    """,
    re.VERBOSE,
)

_HIDDEN = {"Cf", "Mn"}  # zero-width and format characters (U+200B, U+2060, U+FEFF, soft hyphen), stray marks
_SPACES = re.compile(r"\s+")
_CJK_GAP = re.compile(r" (?=[^\x00-\x7f])|(?<=[^\x00-\x7f]) ")  # "忽 略 以上" reads as 忽略以上


def _normalised(text: str) -> str:
    """``text`` as it is matched: NFKC, simplified script, no hidden characters, one space, casefolded."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(c for c in text if unicodedata.category(c) not in _HIDDEN)
    text = zhconv.convert(text, "zh-cn")
    return _CJK_GAP.sub("", _SPACES.sub(" ", text).strip()).casefold()


def instructs(text: str, start: int = 0, end: int | None = None) -> bool:
    """Whether ``text[start:end]`` addresses the assistant or orders it (see the module docstring)."""
    sentence = _normalised(text[start:end])
    return bool(
        _ADDRESSES.search(sentence)
        or _OVERRIDES.search(sentence)
        or _DICTATES.search(sentence)
        or (_OUTPUTS.search(sentence) and _NAMES.search(sentence))
    )
