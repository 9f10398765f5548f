"""thscp-kg: a compliance and knowledge-graph checker for Safeguarding Children Partnerships."""

__version__ = "0.1.0"
