from __future__ import annotations

from typing import Any

from assertionengine import AssertionOperator
from robot.api import logger
from robot.api.deco import keyword

from ..catalogue.gateway import SUCCESS
from .base import LibraryComponent, Retcodes, succeeded
from .returns import SkillQueue


class SkillKeywords(LibraryComponent):
    """Skill queues and notes between agents."""

    @keyword(tags=["agent", "skills", "queryAgentSkills", "queryAgentSkillsByWorkNo"])
    def get_agent_skills(self, assertion_operator: AssertionOperator | None = None, assertion_expected: Any = None,
                         message: str | None = None, of_agent: str | None = None, agent: str | None = None,
                         expected_retcode: Retcodes = SUCCESS) -> list[SkillQueue] | None:
        """Returns the skill queues the agent is signed in to (``queryAgentSkills``): a list of dictionaries
        with ``id``, ``name`` and ``mediatype``.

        ``of_agent`` asks for another agent's queues instead (``queryAgentSkillsByWorkNo``; the gateway answers
        for agents of the same VDN only). A refusal given as ``expected_retcode`` (a negative test) returns None.

        An assertion (see `Assertions in getters`) applies to the list.

        | ${skills} = | `Get Agent Skills` |
        | ${ids} = | Evaluate | [skill['id'] for skill in $skills] |
        | ${theirs} = | `Get Agent Skills` | of_agent=102 |
        | `Get Agent Skills` | validate | len(value) == 2 |
        """

        def skills() -> list[SkillQueue] | None:
            if of_agent is None:
                reply = self._agent_call(agent, "queryAgentSkills", expected_retcode)
            else:
                reply = self._agent_call(agent, "queryAgentSkillsByWorkNo", expected_retcode,
                                         path={"workno": of_agent})
            if not succeeded(reply):
                return None
            found = list(reply.get("result") or [])
            names = ", ".join(f"{s.get('name')} ({s.get('id')})" for s in found if isinstance(s, dict)) or "none"
            logger.info(f"Skill queues: {names}.")
            return found

        return self._asserted("Get Agent Skills", skills, assertion_operator, assertion_expected, message,
                              name="skills")

    @keyword(tags=["agent", "skills", "resetSkill"])
    def reset_skills(self, *skill_ids: int, all_configured: bool = False, agent: str | None = None,
                     expected_retcode: Retcodes = SUCCESS) -> None:
        """Signs the agent in to the skill queues ``skill_ids`` (``resetSkill``), or with ``all_configured=True``
        to every queue it is configured for.

        Queues the agent is not configured for are left out by the gateway; with neither IDs nor
        ``all_configured`` the agent leaves every queue. The developer guide calls this right after sign-in.

        | `Reset Skills` | 1 | 2 |
        | `Reset Skills` | all_configured=True |
        """
        query = {"skillid": ";".join(str(skill) for skill in skill_ids)} if skill_ids else None
        self._agent_call(agent, "resetSkill", expected_retcode, path={"autoflag": all_configured}, query=query)

    @keyword(tags=["agent", "notes", "sendNoteletEx"])
    def send_note(self, text: str, *agent_ids: str, agent: str | None = None,
                  expected_retcode: Retcodes = SUCCESS) -> None:
        """Sends the note ``text`` to the agents ``agent_ids`` (``sendNoteletEx``, at most 100 agents, 1023
        bytes). Each receiver who is signed in gets ``AgentOther_Note``.

        | `Send Note` | Team meeting at 3 pm | 102 | 103 |
        | `Wait For Event` | AgentOther_Note | agent=second |
        """
        reply = self._agent_call(agent, "sendNoteletEx", expected_retcode,
                                 body={"agentIds": list(agent_ids), "content": text})
        if succeeded(reply):
            logger.info(f"Note sent to {', '.join(agent_ids)}.")
