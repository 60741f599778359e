import { screen } from '@testing-library/react'

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** The field labelled `label`, whether marked required (a trailing *) or not. */
export const field = (label: string) => screen.getByLabelText(new RegExp(`^${escape(label)}\\*?$`))

export const queryField = (label: string) => screen.queryByLabelText(new RegExp(`^${escape(label)}\\*?$`))
