language: zh-CN
# robocop: off=setting-name-not-in-title-case,section-name-invalid,not-capitalized-test-case-title,ignored-data
# Robocop checks English capitalisation; Chinese has no letter case.


*** 设置 ***
说明       用 Robot Framework 的中文语法写的示例：关键字来自以 ``language=zh-CN`` 导入的 CCGatewayLibrary，
...      设置、用例和说明都用中文。座席签入、示闲，客户呼入，座席应答、保持、外呼，再发起三方通话。

程序库      CCGatewayLibrary    language=zh-CN
变量文件     ../resources/variables.py

用例集启程    启动网关模拟器    roster=${SIM_ROSTER}
用例集终程    停止网关模拟器

用例标签     simulator-only    zh-cn


*** 用例 ***
座席把保持中的客户加入三方通话
    [说明]    客户呼入后座席应答并保持，外呼第二个号码，再把两方合并为三方通话，最后挂断并签出。
    座席签入    101    password=${AGENT_PASSWORD}    phone=70001
    座席示闲
    等待事件    AgentState_Ready
    ${customer}=    模拟客户呼入    caller=88880001    agent=101
    等待事件    AgentEvent_Ringing
    应答呼叫
    等待事件    AgentEvent_Talking
    获取座席状态    ==    talking
    保持呼叫
    等待事件    AgentEvent_Hold    callid=${customer}
    外呼    88880002
    等待事件    AgentEvent_Talking
    发起三方通话    ${customer}
    等待事件    AgentEvent_Conference    callid=${customer}
    挂断呼叫
    按顺序等待事件    AgentEvent_Call_Release    AgentState_Ready
    座席签出

示忙的座席不会接到来电
    [说明]    座席示忙后状态为 busy，来电不会振铃；示闲之后客户挂机，事件历史中有示忙成功的事件。
    座席签入    101    password=${AGENT_PASSWORD}    phone=70001
    座席示忙    reason=201
    等待事件    AgentState_SetNotReady_Success    reason=201
    获取座席状态    ==    busy
    事件不应到达    AgentEvent_Ringing    within=0.5s
    获取事件历史    validate    'AgentState_SetNotReady_Success' in [e['eventType'] for e in value]
    座席签出
