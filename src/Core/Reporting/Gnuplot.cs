using System.Diagnostics;

namespace VideoNas.Core.Reporting;

/// <summary>Renders the accuracy-against-parameters scatter plot to PNG with gnuplot (Debian: gnuplot-nox).</summary>
public static class Gnuplot
{
    public static void ScatterPng(string dataFile, string pngFile, string title)
    {
        string script = $"""
            set terminal pngcairo size 900,600 font ",11"
            set output '{Escape(pngFile)}'
            set title '{Escape(title)}'
            set logscale x
            set xlabel 'parameters (log scale)'
            set ylabel 'video accuracy (%)'
            set yrange [0:105]
            set grid
            plot '{Escape(dataFile)}' using 1:2 with points pt 7 ps 1.6 notitle, \
                 '' using 1:($2 + (int($0) % 2 == 0 ? 3.5 : -3.5)):3 with labels notitle
            """;
        var info = new ProcessStartInfo("gnuplot") { RedirectStandardInput = true, RedirectStandardError = true, UseShellExecute = false };
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ExternalToolException($"could not run gnuplot ({e.Message}); install it (Debian: apt-get install gnuplot-nox)", e);
        }
        using (process)
        {
            process.StandardInput.Write(script);
            process.StandardInput.Close();
            string errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0 || !File.Exists(pngFile) || new FileInfo(pngFile).Length == 0)
            {
                // gnuplot opens its output before plotting; a failed plot leaves an empty file that would pass for a plot.
                File.Delete(pngFile);
                throw new IOException($"{pngFile}: gnuplot failed ({process.ExitCode}): {errors.Trim()}");
            }
        }
    }

    private static string Escape(string s) => s.Replace("'", "''");
}
