"""Sample bibliography entries shared by the tests (real works, correct fields)."""

RADFORD = """\
@inproceedings{radford2021clip,
  author = {Radford, Alec and Kim, Jong Wook},
  title = {Learning Transferable Visual Models From Natural Language Supervision},
  booktitle = {Proceedings of the 38th International Conference on Machine Learning},
  year = {2021},
  eprint = {2103.00020},
  archivePrefix = {arXiv},
}
"""

LLAVA = """\
@misc{liu2023llava,
  author = {Liu, Haotian and Li, Chunyuan and Wu, Qingyang and Lee, Yong Jae},
  title = {Visual Instruction Tuning},
  year = {2023},
  eprint = {2304.08485},
  archivePrefix = {arXiv},
}
"""
