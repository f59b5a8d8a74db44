/**
 * Weather logic with no I/O. Forecasts are computed from a built-in climate table so the example
 * runs offline and answers the same way every time (tests assert exact values).
 */

export type TemperatureUnit = 'celsius' | 'fahrenheit' | 'kelvin';

interface Climate {
  name: string;
  country: string;
  /** Typical daily high and low, °C. */
  highC: number;
  lowC: number;
  /** 0..1: share of days with rain or showers. */
  wetness: number;
}

export const CITIES: Readonly<Record<string, Climate>> = {
  amsterdam: { name: 'Amsterdam', country: 'NL', highC: 14, lowC: 7, wetness: 0.6 },
  berlin: { name: 'Berlin', country: 'DE', highC: 14, lowC: 5, wetness: 0.45 },
  cairo: { name: 'Cairo', country: 'EG', highC: 29, lowC: 18, wetness: 0.03 },
  london: { name: 'London', country: 'GB', highC: 15, lowC: 8, wetness: 0.55 },
  'new-york': { name: 'New York', country: 'US', highC: 17, lowC: 9, wetness: 0.35 },
  reykjavik: { name: 'Reykjavik', country: 'IS', highC: 7, lowC: 2, wetness: 0.65 },
  singapore: { name: 'Singapore', country: 'SG', highC: 31, lowC: 25, wetness: 0.7 },
  tokyo: { name: 'Tokyo', country: 'JP', highC: 20, lowC: 12, wetness: 0.4 },
};

export interface ForecastDay {
  day: number;
  condition: 'sunny' | 'cloudy' | 'showers' | 'rain';
  high: number;
  low: number;
  precipitationChance: number;
}

/** "New York", "new york" and "new-york" all name the same city. */
export function cityKey(city: string): string {
  return city.trim().toLowerCase().replace(/\s+/g, '-');
}

/** FNV-1a: a stable per-(city, day) seed, so forecasts vary between days but never between runs. */
function seed(text: string): number {
  let hash = 0x811c9dc5;
  for (const char of text) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return hash;
}

export function forecast(key: string, days: number, unit: TemperatureUnit): ForecastDay[] {
  const climate = CITIES[key];
  if (!climate) throw new Error(`unknown city ${key}`);
  return Array.from({ length: days }, (_, index) => {
    const n = seed(`${key}/${index + 1}`);
    const roll = (n % 1000) / 1000;
    const condition = roll < climate.wetness / 2 ? 'rain' : roll < climate.wetness ? 'showers' : roll < climate.wetness + 0.2 ? 'cloudy' : 'sunny';
    const highC = climate.highC + ((n >>> 10) % 7) - 3;
    const lowC = Math.min(climate.lowC + ((n >>> 20) % 5) - 2, highC - 1);
    const precipitationChance = { rain: 90, showers: 60, cloudy: 20, sunny: 5 }[condition];
    return {
      day: index + 1,
      condition,
      high: convertTemperature(highC, 'celsius', unit),
      low: convertTemperature(lowC, 'celsius', unit),
      precipitationChance,
    };
  });
}

const toKelvin: Record<TemperatureUnit, (value: number) => number> = {
  celsius: (c) => c + 273.15,
  fahrenheit: (f) => ((f - 32) * 5) / 9 + 273.15,
  kelvin: (k) => k,
};
const fromKelvin: Record<TemperatureUnit, (kelvin: number) => number> = {
  celsius: (k) => k - 273.15,
  fahrenheit: (k) => ((k - 273.15) * 9) / 5 + 32,
  kelvin: (k) => k,
};

/** Converts through kelvin and rounds to 2 decimals (hides float noise such as 99.99999). */
export function convertTemperature(value: number, from: TemperatureUnit, to: TemperatureUnit): number {
  const kelvin = toKelvin[from](value);
  // The tolerance absorbs float error at exactly absolute zero (-459.67 °F).
  if (kelvin < -1e-9) throw new RangeError(`${value} ${from} is below absolute zero`);
  return Math.round(fromKelvin[to](Math.max(kelvin, 0)) * 100) / 100 + 0; // + 0 turns -0 into 0
}
