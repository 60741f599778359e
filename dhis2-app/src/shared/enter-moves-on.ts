// On a long clinical form, Enter in a field (or a phone keyboard's Go / Next key) would submit the form and
// save a half-filled visit. Here Enter moves to the next field instead, as on paper; only the Save button saves.
import type React from 'react'

const NOT_A_FIELD = new Set(['submit', 'button', 'reset', 'image'])

/** The form's onKeyDown: Enter in an input moves the focus to the next field of the form. */
export function enterMovesOn(event: React.KeyboardEvent<HTMLFormElement>): void {
    const target = event.target
    if (event.key !== 'Enter' || !(target instanceof HTMLInputElement) || NOT_A_FIELD.has(target.type)) return
    event.preventDefault()
    const focusable = Array.from(event.currentTarget.querySelectorAll<HTMLElement>('input, select, textarea, button')).filter(
        (element) => !(element as HTMLInputElement).disabled && !element.hidden && element.tabIndex >= 0
    )
    focusable[focusable.indexOf(target) + 1]?.focus()
}
