# A script: comments, blank lines, and ';' all work.
boot arch=toy ram=128K

alloc_pages order=3 as=big ; alloc_pages as=small
free_pages big   # merges back
free_list
history
