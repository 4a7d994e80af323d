import { z } from '@hono/zod-openapi'

const Figure = z.object({
  key: z.string(),
  label_zh: z.string(),
  label_en: z.string(),
  value: z.number(),
  unit: z.enum(['count', 'percent']),
  at_least: z.boolean().optional().openapi({ description: 'Reported as "N+"' }),
  note: z.string().optional(),
})

/** data/programmes.json: the seed programmes' real, sourced figures (not demo data). */
export const Programmes = z
  .object({
    note: z.string(),
    source: z.object({ articles: z.string(), pages: z.array(z.string()), citation: z.string(), note: z.string().optional() }),
    programmes: z.array(
      z.object({
        region_code: z.string().regex(/^[0-9]{6}$/),
        name: z.string(),
        name_en: z.string(),
        title: z.string(),
        title_en: z.string(),
        figures: z.array(Figure),
      }),
    ),
  })
  .openapi('Programmes')
export type Programmes = z.infer<typeof Programmes>
