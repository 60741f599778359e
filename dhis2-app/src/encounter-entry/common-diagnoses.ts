// The diagnoses a rural health centre records most, offered first; any other ICD-10 code can be typed.
import i18n from '@dhis2/d2-i18n'

export const commonDiagnoses = (): { code: string; label: string }[] => [
    { code: 'B54', label: i18n.t('Malaria') },
    { code: 'A09.9', label: i18n.t('Diarrhoea, gastroenteritis') },
    { code: 'J06.9', label: i18n.t('Upper respiratory infection') },
    { code: 'J18.9', label: i18n.t('Pneumonia') },
    { code: 'H66.9', label: i18n.t('Ear infection (otitis media)') },
    { code: 'A01.0', label: i18n.t('Typhoid fever') },
    { code: 'N39.0', label: i18n.t('Urinary tract infection') },
    { code: 'L08.9', label: i18n.t('Skin infection') },
    { code: 'B82.9', label: i18n.t('Intestinal worms') },
    { code: 'D64.9', label: i18n.t('Anaemia') },
    { code: 'E44.0', label: i18n.t('Moderate acute malnutrition') },
    { code: 'E43', label: i18n.t('Severe acute malnutrition') },
    { code: 'I10', label: i18n.t('High blood pressure') },
    { code: 'O14.9', label: i18n.t('Pre-eclampsia') },
]
