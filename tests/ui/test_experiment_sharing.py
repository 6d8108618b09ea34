"""Chapter 12's sharing experiment: the parameter ratios over the control box."""

from knobs.ui.experiments import sharing


def test_sharing_ratio_is_one_over_the_patches_over_the_whole_control_box():
    for size in (16, 256):
        for kernel in (1, 11):
            for stride in (1, 4):
                r = sharing.compute(size, kernel, stride, filters=5)
                assert r["local"] == r["patches"] * r["conv"]
                assert r["dense"] > r["local"] or r["patches"] == 1
