/** The weather MCP server: two read-only tools over the offline data in forecast.ts. */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { CITIES, cityKey, convertTemperature, forecast } from './forecast.js';

export const SERVER_NAME = 'weather';
export const SERVER_VERSION = '0.1.0';

const unit = z.enum(['celsius', 'fahrenheit', 'kelvin']);
// Pure functions of their input: lets clients cache and call them without confirmation.
const readOnly = { readOnlyHint: true, idempotentHint: true, openWorldHint: false };

function errorResult(message: string) {
  return { isError: true, content: [{ type: 'text' as const, text: message }] };
}

export function createWeatherServer(): McpServer {
  const server = new McpServer({ name: SERVER_NAME, version: SERVER_VERSION });

  server.registerTool(
    'get_forecast',
    {
      title: 'Weather forecast',
      description: `Daily forecast for a city (offline demo data). Cities: ${Object.values(CITIES)
        .map((c) => c.name)
        .join(', ')}.`,
      inputSchema: {
        city: z.string().min(1).max(100).describe('City name, e.g. "Amsterdam" or "new york"'),
        days: z.number().int().min(1).max(7).default(3).describe('Number of days, 1-7'),
        unit: z.enum(['celsius', 'fahrenheit']).default('celsius').describe('Temperature unit'),
      },
      outputSchema: {
        city: z.string(),
        country: z.string(),
        unit: z.string(),
        days: z.array(
          z.object({
            day: z.number(),
            condition: z.string(),
            high: z.number(),
            low: z.number(),
            precipitationChance: z.number(),
          }),
        ),
      },
      annotations: readOnly,
    },
    async ({ city, days, unit: tempUnit }) => {
      const key = cityKey(city);
      const climate = CITIES[key];
      if (!climate) return errorResult(`Unknown city "${city}". Known cities: ${Object.keys(CITIES).join(', ')}.`);
      const result = { city: climate.name, country: climate.country, unit: tempUnit, days: forecast(key, days, tempUnit) };
      const symbol = tempUnit === 'celsius' ? '°C' : '°F';
      const lines = result.days.map(
        (d) => `Day ${d.day}: ${d.condition}, ${d.low}-${d.high}${symbol}, ${d.precipitationChance}% rain`,
      );
      return {
        content: [{ type: 'text', text: [`${climate.name} (${climate.country})`, ...lines].join('\n') }],
        structuredContent: result,
      };
    },
  );

  server.registerTool(
    'convert_temperature',
    {
      title: 'Convert temperature',
      description: 'Convert a temperature between celsius, fahrenheit and kelvin.',
      inputSchema: {
        value: z.number().describe('Temperature to convert'),
        from: unit.describe('Unit of value'),
        to: unit.describe('Unit to convert to'),
      },
      outputSchema: { value: z.number(), unit: unit },
      annotations: readOnly,
    },
    async ({ value, from, to }) => {
      try {
        const converted = convertTemperature(value, from, to);
        return {
          content: [{ type: 'text', text: `${value} ${from} = ${converted} ${to}` }],
          structuredContent: { value: converted, unit: to },
        };
      } catch (error) {
        return errorResult(error instanceof Error ? error.message : String(error));
      }
    },
  );

  return server;
}
