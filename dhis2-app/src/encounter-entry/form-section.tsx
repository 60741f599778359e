import React from 'react'
import styles from './encounter-form.module.css'

/** One part of the encounter, titled, its fields in as many columns as the screen allows. */
export const FormSection = ({ id, title, children }: { id: string; title: string; children: React.ReactNode }) => (
    <section className={styles.section} aria-labelledby={`${id}-title`} data-test={`section-${id}`}>
        <h3 id={`${id}-title`} className={styles.sectionTitle}>
            {title}
        </h3>
        <div className={styles.grid}>{children}</div>
    </section>
)
