# Sums every runner's results in a folder (xunit XML files and Pester's JSON summary) and prints the one
# closing line CI reads: "N passed, N failed" (", N skipped" when any were skipped). Exit 1 if any failed.
param([Parameter(Mandatory)] [string] $ResultsPath)
$ErrorActionPreference = 'Stop'
$passed = 0; $failed = 0; $skipped = 0
foreach ($file in Get-ChildItem $ResultsPath -Filter '*.xml' | Where-Object Name -ne 'pester.xml') {
    [xml] $doc = Get-Content -Raw $file.FullName
    foreach ($assembly in $doc.SelectNodes('//assembly')) {
        $passed += [int] $assembly.passed
        $failed += [int] $assembly.failed + [int] $assembly.errors
        $skipped += [int] $assembly.skipped + [int] $assembly.'not-run'
    }
}
$pester = Join-Path $ResultsPath 'pester.json'
if (Test-Path $pester) {
    $p = Get-Content -Raw $pester | ConvertFrom-Json
    $passed += $p.Passed; $failed += $p.Failed; $skipped += $p.Skipped
}
else {
    Write-Host 'No Pester results found.' -ForegroundColor Yellow
}
$line = "$passed passed, $failed failed"
if ($skipped) { $line += ", $skipped skipped" }
Write-Host $line
if ($failed -gt 0) { exit 1 }
exit 0
