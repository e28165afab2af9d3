"""The admin's forms on a 390-pixel phone: no page wider than the screen, and the name of
what each drop-down (native or autocomplete) has chosen shown whole, on as many lines as
it needs, rather than cut off at the box's edge."""

from datetime import date

import pytest

from actions.models import Action, SubStep
from tests.browser.conftest import sign_in
from tests.factories import ItemFactory, MeetingFactory

PHONE = {"width": 390, "height": 900}

# A committee's name as long as a real one can run: the Meeting drop-down's longest option.
JOINT_COMMITTEE = (
    "Children, Young People and Education Cabinet Committee meeting jointly with the "
    "Scrutiny Children & Young People Sub-Committee"
)

WIDER_THAN_SCREEN = """() => {
    const width = document.documentElement.clientWidth;
    const wider = document.documentElement.scrollWidth - width;
    return wider > 0 ? [`the page scrolls ${wider}px sideways`] : [];
}"""

# Each visible drop-down is set to its longest option; the words of that option are laid
# out in the width the box has for text (less its arrow), in the box's own font, and the
# box must be tall enough for the lines they take. A native select showed one line.
NAMES_CUT_OFF = """() => {
    const found = [];
    const ruler = document.createElement("div");
    ruler.style.cssText = "position: absolute; visibility: hidden; white-space: normal";
    document.body.append(ruler);
    const selects = document.querySelectorAll(
        "#content-main select:not([multiple], .select2-hidden-accessible)");
    for (const select of selects) {
        if (!select.options.length || !select.getClientRects().length) continue;
        const lengths = [...select.options].map((option) => option.text.length);
        select.selectedIndex = lengths.indexOf(Math.max(...lengths));
        const style = getComputedStyle(select);
        const padding = (side) => parseFloat(style[`padding${side}`]);
        ruler.style.font = style.font;
        ruler.style.width = `${select.clientWidth - padding("Left") - padding("Right") - 24}px`;
        ruler.textContent = select.options[select.selectedIndex].text;
        const shown = select.clientHeight - padding("Top") - padding("Bottom");
        if (ruler.offsetHeight > shown + 1) {
            found.push(`#${select.id} shows ${shown}px of "${ruler.textContent}", `
                + `which needs ${ruler.offsetHeight}px`);
        }
        const box = select.getBoundingClientRect();
        if (box.left < 0 || box.right > document.documentElement.clientWidth) {
            found.push(`#${select.id} runs from ${box.left}px to ${box.right}px`);
        }
    }
    ruler.remove();
    const chosen = document.querySelectorAll(
        ".select2-selection__rendered, .select2-selection__choice");
    for (const element of chosen) {
        const box = element.getBoundingClientRect();
        const field = element.closest(".select2-selection").getBoundingClientRect();
        if (element.scrollWidth > element.clientWidth + 1 || box.right > field.right + 1) {
            found.push(`autocomplete choice "${element.textContent.trim()}" is cut off`);
        }
    }
    return found;
}"""


def admin_forms():
    """One form for each kind of drop-down, each with a name longer than a phone is wide."""
    meeting = MeetingFactory(committee=JOINT_COMMITTEE, held_on=date(2019, 3, 26))
    actions = Action.objects.order_by("theme__plan", "reference")[:2]
    item = ItemFactory(meeting=meeting, actions=list(actions))
    sub_step = next(
        step for step in SubStep.objects.select_related("action") if len(str(step.action)) > 60
    )
    return {
        "add an item (Meeting)": "/admin/scrutiny/item/add/",
        "add a theme (Plan)": "/admin/themes/theme/add/",
        "add a lead (Division)": "/admin/actions/lead/add/",
        "an item (its actions)": f"/admin/scrutiny/item/{item.pk}/change/",
        "a sub-step (its action)": f"/admin/actions/substep/{sub_step.pk}/change/",
    }


@pytest.mark.browser
def test_admin_drop_downs_show_the_whole_chosen_name_on_a_phone(page, administrator):
    pages = admin_forms()
    sign_in(page, "planadmin")
    page.set_viewport_size(PHONE)
    found = []
    for name, path in pages.items():
        assert page.goto(path).status == 200, path
        found += [f"{name}: {problem}" for problem in page.evaluate(WIDER_THAN_SCREEN)]
        found += [f"{name}: {problem}" for problem in page.evaluate(NAMES_CUT_OFF)]
    assert not found, "\n".join(found)


@pytest.mark.browser
def test_the_meeting_drop_down_fits_a_phone_with_its_meeting_chosen(page, administrator):
    MeetingFactory(committee=JOINT_COMMITTEE, held_on=date(2019, 3, 26))
    sign_in(page, "planadmin")
    page.set_viewport_size(PHONE)
    page.goto("/admin/scrutiny/item/add/")
    meeting = page.get_by_label("Meeting:")
    meeting.select_option(label=f"{JOINT_COMMITTEE}, 26 March 2019")

    box = meeting.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert page.evaluate(WIDER_THAN_SCREEN) == []
    # Four lines of 16-pixel text: the whole name, where it showed one line of it.
    assert box["height"] > 4 * 16
