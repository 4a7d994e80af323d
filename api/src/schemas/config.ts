import { z } from '@hono/zod-openapi'

const tileTemplates = z.array(z.string())

export const Config = z
  .object({
    basemap_style_url: z.string().nullable().openapi({ description: 'A MapLibre style to use instead of the offline basemap' }),
    basemap_attribution: z.string().nullable().openapi({ description: "The basemap's attribution, including its 审图号" }),
    tianditu: z
      .object({
        layer: z.enum(['vec', 'img']).openapi({ description: 'vec: the vector map; img: imagery' }),
        tiles: tileTemplates.openapi({ description: 'WMTS tile URL templates ({z}/{x}/{y}) of the base layer, key included' }),
        annotation_tiles: z.object({ zh: tileTemplates, en: tileTemplates }).openapi({ description: 'The annotation (place and road names) layer, in Chinese (cva/cia) and English (eva/eia)' }),
        max_zoom: z.number().int(),
        attribution: z.string().openapi({ description: 'Tianditu’s credit with its 审图号 (TIANDITU_REVIEW_NO)' }),
      })
      .nullable()
      .openapi({ description: 'With TIANDITU_KEY: every page draws Tianditu (CGCS2000 = WGS-84, no offset); else null' }),
    roads: z
      .object({
        extract: z.string().openapi({ description: 'file name of the loaded OpenStreetMap extract' }),
        bounds: z.tuple([z.number(), z.number(), z.number(), z.number()]).openapi({ description: 'west, south, east, north of its roads' }),
        min_zoom: z.number().int().openapi({ description: 'road tiles start at this zoom (their places layer: cities; streets from 10)' }),
        attribution: z.string(),
      })
      .nullable()
      .openapi({ description: 'Roads are loaded: the offline basemap draws streets from /api/tiles/roads.json within these bounds; else null' }),
  })
  .openapi('Config')

