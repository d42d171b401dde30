"""Records of the grouping stages: articles -> Story (copies of one text) -> Development
(one event), and the ``Chunk``s of article text an LLM request carries.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from briefing.models.documents import Article


class Story(BaseModel):
    """Near-identical copies of one text (a wire story on several sites)."""

    articles: list[Article]

    @property
    def lead(self) -> Article:
        """The copy used to read the story: the longest text."""
        return max(self.articles, key=lambda a: len(a.text))



class Development(BaseModel):
    """One event or thread of the day: the stories that report it."""

    id: str
    stories: list[Story]

    @property
    def articles(self) -> list[Article]:
        """Every article in the development, copies included."""
        return [a for s in self.stories for a in s.articles]



class ChunkPart(BaseModel):
    """A span of one article inside a chunk, with its character offsets."""

    model_config = ConfigDict(frozen=True)

    article_id: str
    start: int  # offset into Article.text
    end: int
    text: str  # Article.text[start:end]
    tokens: int = 0



class Chunk(BaseModel):
    """Article text sized for one LLM request: one piece of a long article, or short ones."""

    id: str
    parts: list[ChunkPart]
    tokens: int  # budgeted tokens of the parts, per-part framing included
