import 'react'

// styled-jsx, which @dhis2/ui uses, adds these attributes to <style>.
declare module 'react' {
    interface StyleHTMLAttributes<T> extends React.HTMLAttributes<T> {
        jsx?: boolean
        global?: boolean
    }
}
