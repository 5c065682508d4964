"""prefect.context.tags() nests and combines tags; the current set is visible via TagsContext.

Exercises prefect.context.tags / prefect.tags and TagsContext.get().current_tags."""
from prefect import tags
from prefect.context import TagsContext

with tags("a", "b"):
    print(sorted(TagsContext.get().current_tags))
    with tags("c"):
        print(sorted(TagsContext.get().current_tags))
    print(sorted(TagsContext.get().current_tags))
print(sorted(TagsContext.get().current_tags))
