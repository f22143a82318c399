using System.Text;

namespace Bedrot.DataLake.Tests.Platforms.MetaAds;

/// <summary>
/// Ads Manager campaign exports built in memory: the English one (UTF-8 with a BOM, CRLF, <c>,</c>,
/// money over 999 quoted with a thousands comma) and the Spanish one (<c>;</c>, <c>1.234,56</c>).
/// Both hold the same total row and two campaigns.
/// </summary>
internal static class AdsManagerExports
{
    public const string FileName = "metaads_campaign_daily_20250610.csv";

    public const string EnglishHeader =
        "Reporting starts,Reporting ends,Campaign name,Campaign ID,Results,Result indicator,Amount spent (USD),Impressions," +
        "Link clicks,CTR (link click-through rate),Reach,Frequency,\"CPM (cost per 1,000 impressions) (USD)\"";

    public const string EnglishTotal = "2025-06-01,2025-06-07,,,,,\"1,250.06\",\"12,845\",130,1.01,\"10,400\",1.235096,97.32";

    /// <summary>125 link clicks of 12,345 impressions: 1.0126 %, written "1.01".</summary>
    public const string EnglishGlassAngel =
        "2025-06-01,2025-06-07,GLASS ANGEL - Streams,120212345678901234,3,actions:offsite_conversion.fb_pixel_custom," +
        "\"1,234.56\",\"12,345\",125,1.01,\"10,000\",1.2345,100.01";

    public const string EnglishSolveig = "2025-06-01,2025-06-07,S\u00f3lveig - Traffic,120212345678909876,,,15.50,500,5,1.00,450,1.111111,31.00";

    public const string SpanishHeader =
        "Inicio del informe;Fin del informe;Nombre de la campa\u00f1a;Identificador de la campa\u00f1a;Resultados;Indicador de resultado;" +
        "Importe gastado (USD);Impresiones;Clics en el enlace;CTR (porcentaje de clics en el enlace);Alcance;Frecuencia;" +
        "CPM (coste por 1000 impresiones) (USD)";

    public const string SpanishTotal = "2025-06-01;2025-06-07;;;;;1.250,06;12.845;130;1,01;10.400;1,235096;97,32";

    public const string SpanishGlassAngel =
        "2025-06-01;2025-06-07;GLASS ANGEL - Streams;120212345678901234;3;actions:offsite_conversion.fb_pixel_custom;" +
        "1.234,56;12.345;125;1,01;10.000;1,2345;100,01";

    public const string SpanishSolveig = "2025-06-01;2025-06-07;S\u00f3lveig - Traffic;120212345678909876;;;15,50;500;5;1,00;450;1,111111;31,00";

    /// <summary>The English export as Ads Manager writes it: BOM, CRLF.</summary>
    public static byte[] English(params string[] rows) => WithBom("\r\n", [EnglishHeader, .. rows]);

    public static byte[] EnglishWithAllRows() => English(EnglishTotal, EnglishGlassAngel, EnglishSolveig);

    /// <summary>The Spanish export: no BOM, LF.</summary>
    public static byte[] Spanish(params string[] rows) => WithoutBom("\n", [SpanishHeader, .. rows]);

    public static byte[] SpanishWithAllRows() => Spanish(SpanishTotal, SpanishGlassAngel, SpanishSolveig);

    public static byte[] WithBom(string lineEnd, params string[] lines) =>
        Encoding.UTF8.GetPreamble().Concat(WithoutBom(lineEnd, lines)).ToArray();

    public static byte[] WithoutBom(string lineEnd, params string[] lines) =>
        Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + lineEnd)));
}
