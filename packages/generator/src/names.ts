// People and place names for Cameroon (anglophone North-West/South-West and francophone regions) and
// Mali, so synthetic patients, staff and villages look like the places the data stands for.
import type { Country } from './countries.js';

export interface NameBook {
  female: readonly string[];
  male: readonly string[];
  family: readonly string[];
  villages: readonly string[];
}

const CAMEROON: NameBook = {
  female: [
    'Blessing', 'Comfort', 'Mercy', 'Gladys', 'Brenda', 'Pamela', 'Quinta', 'Sandrine', 'Mirabel', 'Nadège',
    'Clarisse', 'Hortense', 'Marie-Claire', 'Pélagie', 'Solange', 'Odile', 'Yvette', 'Estelle', 'Carine',
    'Germaine', 'Ngum', 'Nahbila', 'Bih', 'Lum', 'Sirri', 'Nkeng', 'Ebude', 'Manka', 'Judith', 'Bernadette',
    'Delphine', 'Vanessa', 'Patience', 'Prudence', 'Florence',
  ],
  male: [
    'Emmanuel', 'Divine', 'Godlove', 'Clovis', 'Ernest', 'Valentine', 'Collins', 'Fidelis', 'Derick', 'Ivo',
    'Jean-Pierre', 'Jean-Marie', 'Brice', 'Serge', 'Hervé', 'Armand', 'Blaise', 'Landry', 'Rodrigue', 'Thierry',
    'Achille', 'Fabrice', 'Joseph', 'Paul', 'Samuel', 'Ndi', 'Fru', 'Che', 'Tebo', 'Nfor', 'Ngwa', 'Martin',
    'Christian', 'Cyrille', 'Dieudonné',
  ],
  family: [
    'Mbarga', 'Atangana', 'Fotso', 'Kamga', 'Nkwenti', 'Tchoupo', 'Ngo Bassa', 'Ebogo', 'Fouda', 'Nji',
    'Abanda', 'Onana', 'Essomba', 'Owona', 'Mballa', 'Ndzana', 'Tchinda', 'Kenfack', 'Djoumessi', 'Nana',
    'Tagne', 'Wamba', 'Nyobe', 'Mbock', 'Nlend', 'Bassong', 'Tanyi', 'Ngwa', 'Fru', 'Awah', 'Achu', 'Neba',
    'Ndifor', 'Tamfu', 'Mbah', 'Ewane', 'Ekane', 'Mokake',
  ],
  villages: [
    'Bambui', 'Bambili', 'Bafut', 'Bali', 'Ndop', 'Babessi', 'Bamunka', 'Kumbo', 'Nkambé', 'Wum', 'Batibo',
    'Santa', 'Muyuka', 'Tombel', 'Mbonge', 'Idenau', 'Ekona', 'Mamfe', 'Obala', 'Mfou', 'Nkoteng',
    'Akonolinga', 'Esse', 'Soa', 'Ngoumou', 'Mbankomo', 'Dschang', 'Foumbot', 'Bangangté', 'Bandjoun',
    'Baham', 'Penja', 'Loum', 'Dibombari', 'Pouma', 'Ngambé', 'Lolodorf', 'Mvangan', 'Meyomessala',
  ],
};

const MALI: NameBook = {
  female: [
    'Aminata', 'Fatoumata', 'Mariam', 'Awa', 'Kadiatou', 'Oumou', 'Assétou', 'Rokia', 'Djénéba', 'Salimata',
    'Hawa', 'Kadidia', 'Bintou', 'Sitan', 'Nana', 'Aïssata', 'Maïmouna', 'Ramata', 'Korotoumou', 'Fanta',
    'Safiatou', 'Sanata', 'Mamou', 'Tènin', 'Kani', 'Nassira', 'Massaran', 'Djélika', 'Yah', 'Coumba',
    'Adiaratou', 'Sali', 'Bassa', 'Habibatou',
  ],
  male: [
    'Moussa', 'Mamadou', 'Ibrahim', 'Bakary', 'Seydou', 'Souleymane', 'Adama', 'Oumar', 'Boubacar', 'Drissa',
    'Sidiki', 'Modibo', 'Lassina', 'Issa', 'Amadou', 'Abdoulaye', 'Youssouf', 'Siaka', 'Karim', 'Mahamadou',
    'Sékou', 'Cheick', 'Bourama', 'Fousseyni', 'Zoumana', 'Dramane', 'Yacouba', 'Tiémoko', 'Daouda', 'Salif',
    'Brahima', 'Nouhoum', 'Soumaïla',
  ],
  family: [
    'Traoré', 'Keïta', 'Coulibaly', 'Diarra', 'Koné', 'Sangaré', 'Touré', 'Cissé', 'Diallo', 'Maïga', 'Sidibé',
    'Dembélé', 'Konaté', 'Camara', 'Doumbia', 'Samaké', 'Sissoko', 'Kanté', 'Bagayoko', 'Berthé', 'Dicko',
    'Haïdara', 'Ballo', 'Fofana', 'Goïta', 'Guindo', 'Kouyaté', 'Mariko', 'Sanogo', 'Togola', 'Bengaly',
    'Kassogué', 'Dao', 'Tangara',
  ],
  villages: [
    'Kadiolo', 'Zégoua', 'Loulouni', 'Misséni', 'Fourou', 'Kolondiéba', 'Kignan', 'Niéna', 'Danderesso',
    'Finkolo', 'Zangasso', 'Koumantou', 'Garalo', 'Sélingué', 'Ouéléssébougou', 'Siby', 'Kalaban Coro', 'Fana',
    'Massigui', 'Dioïla', 'Markala', 'Niono', 'Macina', 'Tominian', 'Sofara', 'Konna', 'Baguinéda', 'Narena',
    'Kangaba', 'Bafoulabé', 'Sagabari', 'Ouolodo', 'Dialakoroba', 'Sanankoroba', 'Kolokani',
  ],
};

export const NAME_BOOKS: Record<Country, NameBook> = { CM: CAMEROON, ML: MALI };
