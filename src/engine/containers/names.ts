/**
 * Container names: Docker's validation rule and generated adjective_surname names.
 * Pure; randomness is injected.
 */
import { invalidParameter } from '../../errors.js';

const VALID_NAME = /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/**
 * Normalises a user-supplied name to Docker's stored form `/name`, or throws Docker's error.
 * Like Docker, no length limit: names never become file names (runtime paths use the id), and
 * the request target's own limit bounds them.
 */
export function validateName(name: string): string {
  if (!VALID_NAME.test(name)) {
    const shown = name.length > 256 ? name.slice(0, 64) + '…' : name;
    throw invalidParameter(`Invalid container name (${shown}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
  }
  return name.startsWith('/') ? name : '/' + name;
}

const ADJECTIVES = [
  'agitated', 'amazing', 'angry', 'awesome', 'blissful', 'bold', 'brave', 'busy', 'charming', 'clever',
  'cool', 'compassionate', 'competent', 'confident', 'dazzling', 'determined', 'eager', 'ecstatic',
  'elastic', 'elegant', 'epic', 'exciting', 'fervent', 'festive', 'focused', 'friendly', 'frosty',
  'gallant', 'gifted', 'goofy', 'gracious', 'happy', 'hopeful', 'hungry', 'inspiring', 'intelligent',
  'jolly', 'jovial', 'keen', 'kind', 'laughing', 'loving', 'lucid', 'magical', 'modest', 'musing',
  'naughty', 'nervous', 'nice', 'nifty', 'nostalgic', 'objective', 'optimistic', 'peaceful', 'pensive',
  'practical', 'priceless', 'quirky', 'quizzical', 'relaxed', 'reverent', 'romantic', 'sad', 'serene',
  'sharp', 'silly', 'sleepy', 'stoic', 'strange', 'stupefied', 'suspicious', 'sweet', 'tender',
  'thirsty', 'trusting', 'upbeat', 'vibrant', 'vigilant', 'vigorous', 'wizardly', 'wonderful', 'youthful',
  'zealous', 'zen',
];

const SURNAMES = [
  'albattani', 'allen', 'archimedes', 'babbage', 'bardeen', 'bell', 'bhabha', 'blackwell', 'bohr',
  'booth', 'borg', 'bose', 'brahmagupta', 'brattain', 'brown', 'carson', 'cerf', 'chandrasekhar',
  'curie', 'darwin', 'davinci', 'dijkstra', 'einstein', 'elion', 'euclid', 'euler', 'faraday', 'fermat',
  'fermi', 'feynman', 'franklin', 'galileo', 'gauss', 'goldberg', 'goodall', 'hamilton', 'hawking',
  'heisenberg', 'hertz', 'hodgkin', 'hopper', 'hypatia', 'johnson', 'kapitsa', 'keller', 'kepler',
  'khorana', 'knuth', 'lamarr', 'lovelace', 'lumiere', 'mayer', 'mccarthy', 'meitner', 'mendel',
  'morse', 'newton', 'nobel', 'noether', 'pascal', 'pasteur', 'perlman', 'pike', 'poincare', 'ptolemy',
  'ramanujan', 'ritchie', 'rosalind', 'sammet', 'shannon', 'shockley', 'sinoussi', 'swartz', 'tesla',
  'thompson', 'torvalds', 'turing', 'varahamihira', 'volhard', 'wescoff', 'wilson', 'wing', 'wozniak',
  'wright', 'yalow', 'yonath',
];

/**
 * Returns a generated name not in use. `random()` returns [0,1). After a few collisions a digit is
 * appended, as Docker does.
 */
export function generateName(inUse: (name: string) => boolean, random: () => number): string {
  const pick = (list: string[]) => list[Math.floor(random() * list.length)]!;
  for (let attempt = 0; attempt < 50; attempt++) {
    let name = `${pick(ADJECTIVES)}_${pick(SURNAMES)}`;
    if (name === 'boring_wozniak') continue; // Steve Wozniak is not boring (a Docker tradition)
    if (attempt > 10) name += String(Math.floor(random() * 10));
    if (!inUse('/' + name)) return name;
  }
  throw invalidParameter('could not generate a unique container name');
}
