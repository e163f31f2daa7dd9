<#
.SYNOPSIS
    Builds, tests, demonstrates, benchmarks and packages KMeansPS.

.DESCRIPTION
    One entry point for every job. Run it through the repository's local pwsh tool, so nothing needs a
    global install:

        dotnet tool restore && dotnet pwsh ./build.ps1 <task>

    Tasks:
      build    publish the ready-to-import module to out/KMeansPS (manifest, format, help, assemblies)
      test     build, then every xunit project (the engine once per SIMD width this CPU has), then Pester
               against the built module in a fresh pwsh; prints "N passed, N failed"; non-zero exit on failure
      demo     build, then run the main job on built-in sample data and say where the results are
      bench    BenchmarkDotNet in perf/ (extra arguments go to BenchmarkDotNet, e.g. --filter *Assign*)
      compare  side-by-side run against scikit-learn, pngquant and ImageMagick (perf/compare.ps1)
      package  build, then publish the module to a local PSResource repository folder (out/repository)
      clean    remove out/, artifacts and every bin/ and obj/ folder

.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 test

.EXAMPLE
    dotnet pwsh ./build.ps1 bench --filter '*Assign*'
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('build', 'test', 'demo', 'bench', 'compare', 'package', 'clean')]
    [string] $Task = 'build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Arguments passed on to the task's tool (BenchmarkDotNet, compare.ps1).
    [Parameter(ValueFromRemainingArguments)]
    [string[]] $TaskArguments = @()
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$PSNativeCommandUseErrorActionPreference = $true

$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleOut = Join-Path $Out 'KMeansPS'
$ResultsDir = Join-Path $Out 'test-results'
# The runtimes whose native libraries the module ships: the platforms PowerShell 7 is released for
# (Windows x64/x86/arm64, macOS, Linux x64/arm64/arm, Alpine x64). tests/Pester/Distribution.Tests.ps1 checks it.
$ModuleRuntimes = 'win-x64', 'win-x86', 'win-arm64', 'osx', 'linux-x64', 'linux-arm64', 'linux-arm', 'linux-musl-x64'
# Our assemblies, shipped as ReadyToRun images (tests/Pester/ReadyToRun.Tests.ps1 checks them); third-party ones stay
# IL (ImageSharp would grow from 1.8 to 32 MB and gave no measurable gain on the first call).
$ReadyToRunAssemblies = 'KMeansPS.dll', 'KMeansPS.Engine.dll', 'KMeansPS.Imaging.dll', 'KMeansPS.Plotting.dll'
# The child pwsh is started by path: run as a dotnet tool, this process is the dotnet host, not pwsh.
$Pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')

# A plain function (no param block) so switches such as -v reach dotnet instead of binding as -Verbose.
function Invoke-Dotnet {
    $Arguments = [string[]] $args
    Write-Host "> dotnet $($Arguments -join ' ')" -ForegroundColor DarkGray
    & dotnet @Arguments
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($Arguments[0]) failed with exit code $LASTEXITCODE." }
}

function Get-ModuleVersion {
    [xml] $props = Get-Content -Raw (Join-Path $Root 'Directory.Build.props')
    $version = $props.Project.PropertyGroup | ForEach-Object { $_.ModuleVersion } | Where-Object { $_ } | Select-Object -First 1
    if (-not $version) { throw 'ModuleVersion is missing from Directory.Build.props.' }
    $version
}

function Get-NuGetPackageFolder {
    $line = & dotnet nuget locals global-packages --list
    if ($LASTEXITCODE -ne 0) { throw 'dotnet nuget locals failed.' }
    ($line -replace '^global-packages:\s*', '').Trim()
}

function Invoke-Build {
    Invoke-Dotnet build (Join-Path $Root 'KMeansPS.sln') -c $Configuration --nologo -v minimal
    $publish = Join-Path $Out 'publish'
    if (Test-Path $publish) { Remove-Item $publish -Recurse -Force }
    Invoke-Dotnet publish (Join-Path $Root 'src/KMeansPS/KMeansPS.csproj') -c $Configuration -o $publish --nologo -v minimal
    # Our own assemblies precompiled for .NET 10 on linux-x64 (ReadyToRun, IL kept for every other runtime and
    # platform): a fresh session's first call then JIT-compiles about 1,000 fewer of our methods.
    # build/ReadyToRun/ReadyToRun.csproj says why it is done this way.
    $readyToRun = Join-Path $Out 'publish-readytorun'
    if (Test-Path $readyToRun) { Remove-Item $readyToRun -Recurse -Force }
    Invoke-Dotnet publish (Join-Path $Root 'build/ReadyToRun/ReadyToRun.csproj') -c $Configuration -o $readyToRun --nologo -v minimal
    foreach ($name in $ReadyToRunAssemblies) { Copy-Item (Join-Path $readyToRun $name) $publish -Force }

    # Stage exactly what users install: cmdlets assembly at the root, everything else in Dependencies/. Our
    # assemblies' compiler XML docs stay out (0.4 MB): the cmdlets' help is the MAML made from KMeansPS.xml below,
    # and the libraries' docs would only serve code referencing them, which a module's users do not.
    if (Test-Path $ModuleOut) { Remove-Item $ModuleOut -Recurse -Force }
    $deps = Join-Path $ModuleOut 'Dependencies'
    New-Item -ItemType Directory -Force -Path $deps | Out-Null
    foreach ($item in Get-ChildItem $publish) {
        if ($item.Name -in 'KMeansPS.dll', 'KMeansPS.pdb') {
            Copy-Item $item.FullName $ModuleOut
        }
        elseif ($item.Name -notlike '*.deps.json' -and $item.Name -notlike 'KMeansPS*.xml' -and $item.Name -ne 'System.Management.Automation.dll') {
            Copy-Item $item.FullName $deps -Recurse
        }
    }
    # SkiaSharp and HarfBuzzSharp bring natives for 15 runtimes; keep those PowerShell 7 itself ships for.
    foreach ($rid in Get-ChildItem (Join-Path $deps 'runtimes') -Directory -ErrorAction Ignore) {
        if ($rid.Name -notin $ModuleRuntimes) { Remove-Item $rid.FullName -Recurse -Force }
    }
    $manifest = Get-Content -Raw (Join-Path $Root 'module/KMeansPS.psd1')
    $manifest = $manifest.Replace('{{ModuleVersion}}', (Get-ModuleVersion))
    Set-Content -Path (Join-Path $ModuleOut 'KMeansPS.psd1') -Value $manifest -Encoding utf8NoBOM
    foreach ($file in Get-ChildItem (Join-Path $Root 'module') -Exclude 'KMeansPS.psd1') {
        Copy-Item $file.FullName $ModuleOut -Recurse
    }
    Copy-Item (Join-Path $Root 'LICENSE'), (Join-Path $Root 'CHANGELOG.md') $ModuleOut
    $null = Test-ModuleManifest (Join-Path $ModuleOut 'KMeansPS.psd1')
    # MAML help from the cmdlets' doc comments, generated in a child process that may load the module.
    & $Pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'build/New-MamlHelp.ps1') -ModulePath (Join-Path $ModuleOut 'KMeansPS.psd1') `
        -DocumentationPath (Join-Path $publish 'KMeansPS.xml') -OutputPath (Join-Path $ModuleOut 'en-US/KMeansPS.dll-Help.xml')
    Write-Host "Module staged in $ModuleOut"
}

# The SIMD widths the engine tests run at: each leg is a child process with the runtime's knobs set,
# and KMEANSPS_EXPECT_WIDTH makes the engine's probe test fail if a knob was ignored.
function Get-IsaLegs {
    $legs = [System.Collections.Generic.List[object]]::new()
    if ([System.Runtime.Intrinsics.Vector512]::IsHardwareAccelerated) {
        $legs.Add(@{ Name = 'v512'; Expect = '512'; Env = @{} })
    }
    else { Write-Host 'ISA leg v512: not available on this CPU' -ForegroundColor Yellow }
    if ([System.Runtime.Intrinsics.Vector256]::IsHardwareAccelerated) {
        $legs.Add(@{ Name = 'v256'; Expect = '256'; Env = @{ DOTNET_EnableAVX512 = '0' } })
    }
    else { Write-Host 'ISA leg v256: not available on this CPU' -ForegroundColor Yellow }
    if ([System.Runtime.Intrinsics.Vector128]::IsHardwareAccelerated) {
        $legs.Add(@{ Name = 'v128'; Expect = '128'; Env = @{ DOTNET_EnableAVX512 = '0'; DOTNET_EnableAVX2 = '0' } })
    }
    $legs.Add(@{ Name = 'scalar'; Expect = 'scalar'; Env = @{ DOTNET_EnableHWIntrinsic = '0' } })
    $legs
}

# Imaging classes that check file structure at every truncation point and mutation, WebP's data walks, and libwebp's verdicts on WebP
# mutants (a process a mutant; the chunk corpus against dwebp's pixels too): scanner code with no vector path, whose decoders' vector code their own classes
# compare on every leg. The widest leg runs them; the narrower legs leave them out (about 25 s of each leg's minute).
$ScannerOnlyImagingClasses = @('-class-', '*.Integrity.TruncationTests', '-class-', '*.Integrity.MutationTests', '-class-', '*.Integrity.LimitTests',
    '-class-', '*.Integrity.WebpLosslessDataTests', '-class-', '*.Integrity.WebpLossyDataTests',
    '-class-', '*.Integrity.WebpLibwebpAgreementTests', '-class-', '*.Decoding.WebpDwebpCorpusTests', '-class-', '*.Decoding.DamagedFileDecodeTests')

function Invoke-XunitProject {
    param([string] $Project, [string] $Leg = 'default', [hashtable] $Environment = @{}, [string[]] $Arguments = @())
    # A failing test run is counted, not thrown: every runner still runs and the summary comes last.
    $PSNativeCommandUseErrorActionPreference = $false
    $name = [IO.Path]::GetFileNameWithoutExtension($Project)
    $exe = Join-Path (Split-Path $Project) "bin/$Configuration/net10.0/$name"
    if ($IsWindows) { $exe += '.exe' }
    $xml = Join-Path $ResultsDir "$name-$Leg.xml"
    $saved = @{}
    foreach ($key in $Environment.Keys) {
        $saved[$key] = [Environment]::GetEnvironmentVariable($key)
        [Environment]::SetEnvironmentVariable($key, $Environment[$key])
    }
    try {
        Write-Host "== $name [$Leg]" -ForegroundColor Cyan
        & $exe -result-xml $xml -noColor @Arguments | Out-Host
        $LASTEXITCODE -eq 0
    }
    finally {
        foreach ($key in $saved.Keys) { [Environment]::SetEnvironmentVariable($key, $saved[$key]) }
    }
}

function Invoke-Pester {
    $PSNativeCommandUseErrorActionPreference = $false
    $pester = Join-Path (Get-NuGetPackageFolder) 'pester/6.2.0/tools/Pester.psd1'
    if (-not (Test-Path $pester)) {
        Invoke-Dotnet restore (Join-Path $Root 'build/Tools.csproj') --nologo -v quiet
    }
    $summary = Join-Path $ResultsDir 'pester.json'
    $script = Join-Path $Root 'build/Invoke-PesterTests.ps1'
    Write-Host '== Pester' -ForegroundColor Cyan
    # A fresh process: the build process never loads the module's DLLs, and tests see only the staged module.
    & $Pwsh -NoProfile -NonInteractive -File $script -PesterPath $pester -TestPath (Join-Path $Root 'tests/Pester') `
        -ModulePath (Join-Path $ModuleOut 'KMeansPS.psd1') -SummaryPath $summary -ResultPath (Join-Path $ResultsDir 'pester.xml') | Out-Host
    $LASTEXITCODE -eq 0
}

# Tools the tests use, from Debian, installed here when missing and running as root, as CI does; otherwise the
# tests that need them fail and say how to install them:
# - libjpeg-turbo-progs: the JPEG decoder's tests compare with its reference tools (cjpeg, djpeg -dct int);
# - webp: cut lossy WebP files are judged against libwebp's own encoder and decoder (cwebp, dwebp);
# - imagemagick and python3-pil: TGA files are decoded by ImageMagick (convert) and PIL (/usr/bin/python3) and
#   compared with our decode (TgaReferenceReaderTests);
# - openssh-server and openssh-client: tests/Pester/Remoting.Tests.ps1 runs PowerShell remoting over a throwaway
#   sshd on the loopback addresses, which the tests start and remove themselves (they never use a system sshd).
# Whether /usr/bin/python3 imports PIL (the tests run that python, not one a version manager puts first on PATH).
function Test-Pil {
    if (-not (Test-Path /usr/bin/python3)) { return $false }
    $PSNativeCommandUseErrorActionPreference = $false
    & /usr/bin/python3 -c 'import PIL' 2>$null
    $LASTEXITCODE -eq 0
}

function Install-TestTools {
    $needed = [ordered]@{ 'libjpeg-turbo-progs' = 'djpeg', 'cjpeg'; 'webp' = 'cwebp', 'dwebp'; 'openssh-server' = 'sshd'; 'openssh-client' = 'ssh', 'ssh-keygen'
        'imagemagick' = '/usr/bin/convert'; 'python3-pil' = 'PIL' }
    $missing = @(foreach ($package in $needed.Keys) {
        $found = foreach ($tool in $needed[$package]) {
            if ($tool -eq 'PIL') { Test-Pil; continue }
            (Get-Command $tool -ErrorAction Ignore) -or ($tool -eq 'sshd' -and (Test-Path /usr/sbin/sshd))
        }
        if ($found -contains $false) { $package }
    })
    if ($missing.Count -eq 0) { return }
    if (-not $IsLinux -or (& id -u) -ne '0' -or -not (Get-Command apt-get -ErrorAction Ignore)) {
        Write-Host "Missing for the tests: $($missing -join ', ') (install them; the tests that need them fail without)." -ForegroundColor Yellow
        return
    }
    Write-Host "Installing $($missing -join ', ') for the tests"
    & apt-get update -qq
    $env:DEBIAN_FRONTEND = 'noninteractive'
    & apt-get install -y -qq --no-install-recommends @missing | Out-Null
}

function Invoke-Test {
    Install-TestTools
    Invoke-Build
    if (Test-Path $ResultsDir) { Remove-Item $ResultsDir -Recurse -Force }
    New-Item -ItemType Directory -Force -Path $ResultsDir | Out-Null
    $ok = $true
    foreach ($project in Get-ChildItem (Join-Path $Root 'tests') -Filter '*.Tests.csproj' -Recurse) {
        # The libraries with vector code run once per SIMD width; KMEANSPS_EXPECT_WIDTH makes each leg prove its width.
        if ($project.BaseName -in 'KMeansPS.Engine.Tests', 'KMeansPS.Imaging.Tests') {
            $first = $true
            foreach ($leg in Get-IsaLegs) {
                $envVars = $leg.Env.Clone()
                $envVars['KMEANSPS_EXPECT_WIDTH'] = $leg.Expect
                $arguments = if ($project.BaseName -eq 'KMeansPS.Imaging.Tests' -and -not $first) { $ScannerOnlyImagingClasses } else { @() }
                $ok = (Invoke-XunitProject -Project $project.FullName -Leg $leg.Name -Environment $envVars -Arguments $arguments) -and $ok
                $first = $false
            }
        }
        else {
            $ok = (Invoke-XunitProject -Project $project.FullName) -and $ok
        }
    }
    $ok = (Invoke-Pester) -and $ok
    & (Join-Path $Root 'build/Write-TestSummary.ps1') -ResultsPath $ResultsDir
    if (-not $ok -or $LASTEXITCODE -ne 0) {
        Write-Host 'Tests failed.' -ForegroundColor Red
        exit 1
    }
}

function Invoke-Demo {
    Invoke-Build
    & $Pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'build/Invoke-Demo.ps1') -ModulePath (Join-Path $ModuleOut 'KMeansPS.psd1') -OutputPath (Join-Path $Out 'demo')
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

function Invoke-Bench {
    $arguments = if ($TaskArguments.Count) { $TaskArguments } else { @('--filter', '*') }
    Invoke-Dotnet run -c Release --project (Join-Path $Root 'perf/KMeansPS.Benchmarks/KMeansPS.Benchmarks.csproj') -- @arguments
}

function Invoke-Compare {
    Invoke-Build
    & $Pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'perf/compare.ps1') @TaskArguments
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

function Invoke-Package {
    Invoke-Build
    & $Pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'build/Publish-ModulePackage.ps1') -ModulePath $ModuleOut -RepositoryPath (Join-Path $Out 'repository')
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

function Invoke-Clean {
    if (Test-Path $Out) { Remove-Item $Out -Recurse -Force }
    foreach ($dir in Get-ChildItem $Root -Directory -Recurse -Include 'bin', 'obj', 'BenchmarkDotNet.Artifacts') {
        if (Test-Path $dir.FullName) { Remove-Item $dir.FullName -Recurse -Force }
    }
}

switch ($Task) {
    'build' { Invoke-Build }
    'test' { Invoke-Test }
    'demo' { Invoke-Demo }
    'bench' { Invoke-Bench }
    'compare' { Invoke-Compare }
    'package' { Invoke-Package }
    'clean' { Invoke-Clean }
}
