"""`digestgen import`: turn community posts and the English weekly list into issue files.

Each reader (``post``, ``weekly_list``) turns one input text into ``DraftIssue``s plus warnings;
``issue_file`` writes a draft as an issue file that the loader reads back unchanged; ``command``
is the command line around them. Nothing here touches the site build.
"""
