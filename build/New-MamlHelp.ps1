# Generates the module's MAML help (en-US/KMeansPS.dll-Help.xml) from one source kept next to the code:
# the cmdlets' XML documentation comments (summary = synopsis, remarks = description, example = examples,
# parameter summaries = parameter help) plus the parameter metadata PowerShell itself reports.
# platyPS is not available here; this does the part of its job we need. Run in a child pwsh by build.ps1,
# so the build process never loads the module's assemblies.
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $DocumentationPath,
    [Parameter(Mandatory)] [string] $OutputPath
)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$module = Import-Module $ModulePath -PassThru -Force
[xml] $docs = Get-Content -Raw $DocumentationPath
$members = @{}
foreach ($member in $docs.doc.members.member) { $members[$member.name] = $member }

$nsMaml = 'http://schemas.microsoft.com/maml/2004/10'
$nsCommand = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$nsDev = 'http://schemas.microsoft.com/maml/dev/2004/10'
$commonParameters = [System.Management.Automation.Internal.CommonParameters].GetProperties().Name +
    [System.Management.Automation.Internal.ShouldProcessParameters].GetProperties().Name

$settings = [System.Xml.XmlWriterSettings]::new()
$settings.Indent = $true
$settings.Encoding = [System.Text.UTF8Encoding]::new($false)
New-Item -ItemType Directory -Force -Path (Split-Path $OutputPath) | Out-Null
$writer = [System.Xml.XmlWriter]::Create($OutputPath, $settings)

# Text of a doc element with its <see cref> and <paramref> turned into words and blank-line paragraphs kept.
function Get-DocParagraphs($node) {
    if ($null -eq $node) { return @() }
    $text = ''
    foreach ($child in $node.ChildNodes) {
        switch ($child.LocalName) {
            '#text' { $text += $child.Value }
            'see' { $text += (($child.GetAttribute('cref') -split '[.:]')[-1]) }
            'paramref' { $text += '-' + $child.GetAttribute('name') }
            'c' { $text += $child.InnerText }
            'para' { $text += "`n`n" + $child.InnerText + "`n`n" }
            'code' { }
            default { $text += $child.InnerText }
        }
    }
    $text = $text -replace '&lt;', '<' -replace '&gt;', '>'
    @(($text -split "(\r?\n\s*){2,}") | ForEach-Object { ($_ -replace '\s+', ' ').Trim() } | Where-Object { $_ })
}

function Write-Paragraphs([string[]] $paragraphs) {
    $writer.WriteStartElement('maml', 'description', $nsMaml)
    foreach ($p in $paragraphs) { $writer.WriteElementString('maml', 'para', $nsMaml, $p) }
    $writer.WriteEndElement()
}

function Get-TypeName([type] $type) {
    if ($type -eq [System.Management.Automation.SwitchParameter]) { return 'SwitchParameter' }
    $underlying = [Nullable]::GetUnderlyingType($type)
    if ($underlying) { return $underlying.Name }
    $type.Name
}

# -WhatIf and -Confirm of a cmdlet with SupportsShouldProcess: listed in the syntax and the parameters, as
# Get-Help shows them for PowerShell's own cmdlets (they have no doc comment of ours).
$shouldProcessHelp = [ordered]@{
    WhatIf = 'Shows what would be written without writing anything.'
    Confirm = 'Asks for confirmation before each file is written.'
}
function Write-ShouldProcessParameter([string] $name, [bool] $inSyntax) {
    $writer.WriteStartElement('command', 'parameter', $nsCommand)
    $writer.WriteAttributeString('required', 'false')
    $writer.WriteAttributeString('variableLength', 'true')
    $writer.WriteAttributeString('globbing', 'false')
    $writer.WriteAttributeString('pipelineInput', 'False')
    $writer.WriteAttributeString('position', 'named')
    $writer.WriteAttributeString('aliases', $(if ($name -eq 'WhatIf') { 'wi' } else { 'cf' }))
    $writer.WriteElementString('maml', 'name', $nsMaml, $name)
    Write-Paragraphs @($shouldProcessHelp[$name])
    $writer.WriteStartElement('dev', 'type', $nsDev)
    $writer.WriteElementString('maml', 'name', $nsMaml, 'System.Management.Automation.SwitchParameter')
    $writer.WriteEndElement()
    if (-not $inSyntax) { $writer.WriteElementString('dev', 'defaultValue', $nsDev, 'False') }
    $writer.WriteEndElement()
}

function Write-Parameter($command, $parameter, $setMetadata, [bool] $inSyntax) {
    $attribute = $setMetadata
    $pipeline = @()
    if ($attribute.ValueFromPipeline) { $pipeline += 'ByValue' }
    if ($attribute.ValueFromPipelineByPropertyName) { $pipeline += 'ByPropertyName' }
    $writer.WriteStartElement('command', 'parameter', $nsCommand)
    $writer.WriteAttributeString('required', ([string] $attribute.IsMandatory).ToLowerInvariant())
    $writer.WriteAttributeString('variableLength', 'true')
    $globbing = [bool] ($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
    $writer.WriteAttributeString('globbing', ([string] $globbing).ToLowerInvariant())
    $writer.WriteAttributeString('pipelineInput', $(if ($pipeline) { "True ($($pipeline -join ', '))" } else { 'False' }))
    $writer.WriteAttributeString('position', $(if ($attribute.Position -ge 0) { [string] $attribute.Position } else { 'named' }))
    $writer.WriteAttributeString('aliases', $(if ($parameter.Aliases.Count) { $parameter.Aliases -join ', ' } else { 'none' }))
    $writer.WriteElementString('maml', 'name', $nsMaml, $parameter.Name)
    $doc = $members["P:$($command.ImplementingType.FullName).$($parameter.Name)"]
    $paragraphs = @(Get-DocParagraphs $(if ($doc) { $doc.SelectSingleNode('summary') }))
    if (-not $paragraphs) { throw "Parameter -$($parameter.Name) of $($command.Name) has no <summary> doc comment." }
    Write-Paragraphs $paragraphs
    $typeName = Get-TypeName $parameter.ParameterType
    if ($parameter.ParameterType.IsEnum) {
        $writer.WriteStartElement('command', 'parameterValueGroup', $nsCommand)
        foreach ($name in [enum]::GetNames($parameter.ParameterType)) {
            $writer.WriteStartElement('command', 'parameterValue', $nsCommand)
            $writer.WriteAttributeString('required', 'false')
            $writer.WriteAttributeString('variableLength', 'false')
            $writer.WriteString($name)
            $writer.WriteEndElement()
        }
        $writer.WriteEndElement()
    }
    if ($typeName -ne 'SwitchParameter') {
        $writer.WriteStartElement('command', 'parameterValue', $nsCommand)
        $writer.WriteAttributeString('required', 'true')
        $writer.WriteAttributeString('variableLength', 'false')
        $writer.WriteString($typeName)
        $writer.WriteEndElement()
    }
    $writer.WriteStartElement('dev', 'type', $nsDev)
    $writer.WriteElementString('maml', 'name', $nsMaml, $parameter.ParameterType.FullName)
    $writer.WriteEndElement()
    if (-not $inSyntax) {
        $default = if ($attribute.IsMandatory) { $null } else { $command.ImplementingType::new().($parameter.Name) }
        # Not a switch statement: switch enumerates an array and would print its list once per element.
        $shown = if ($null -eq $default) { 'None' }
            elseif ($default -is [System.Management.Automation.SwitchParameter]) { 'False' }
            elseif ($default -is [array] -and $default.Count -eq 0) { 'None' }
            else { [string]::Join(', ', @($default)) }
        $writer.WriteElementString('dev', 'defaultValue', $nsDev, $shown)
    }
    $writer.WriteEndElement()
}

$writer.WriteStartElement('helpItems', 'http://msh')
$writer.WriteAttributeString('schema', 'maml')
foreach ($command in Get-Command -Module $module.Name -CommandType Cmdlet | Sort-Object Name) {
    $typeDoc = $members["T:$($command.ImplementingType.FullName)"]
    if (-not $typeDoc) { throw "$($command.Name) has no doc comment on $($command.ImplementingType.FullName)." }
    $synopsis = @(Get-DocParagraphs $typeDoc.SelectSingleNode('summary'))
    $description = @(Get-DocParagraphs $typeDoc.SelectSingleNode('remarks'))
    if (-not $synopsis) { throw "$($command.Name) has no <summary>." }
    if (-not $description) { throw "$($command.Name) has no <remarks> (the long description)." }

    $writer.WriteStartElement('command', 'command', $nsCommand)
    $writer.WriteAttributeString('xmlns', 'maml', $null, $nsMaml)
    $writer.WriteAttributeString('xmlns', 'dev', $null, $nsDev)
    $writer.WriteStartElement('command', 'details', $nsCommand)
    $writer.WriteElementString('command', 'name', $nsCommand, $command.Name)
    $writer.WriteElementString('command', 'verb', $nsCommand, $command.Verb)
    $writer.WriteElementString('command', 'noun', $nsCommand, $command.Noun)
    Write-Paragraphs $synopsis
    $writer.WriteEndElement()
    Write-Paragraphs $description

    $writer.WriteStartElement('command', 'syntax', $nsCommand)
    foreach ($set in $command.ParameterSets) {
        $writer.WriteStartElement('command', 'syntaxItem', $nsCommand)
        $writer.WriteElementString('maml', 'name', $nsMaml, $command.Name)
        foreach ($p in $set.Parameters | Where-Object { $_.Name -notin $commonParameters }) {
            Write-Parameter $command $command.Parameters[$p.Name] $p $true
        }
        if ($command.Parameters.ContainsKey('WhatIf')) { foreach ($name in $shouldProcessHelp.Keys) { Write-ShouldProcessParameter $name $true } }
        $writer.WriteEndElement()
    }
    $writer.WriteEndElement()

    $writer.WriteStartElement('command', 'parameters', $nsCommand)
    foreach ($name in $command.Parameters.Keys | Where-Object { $_ -notin $commonParameters }) {
        $parameter = $command.Parameters[$name]
        $setMetadata = $parameter.ParameterSets.Values | Select-Object -First 1
        Write-Parameter $command $parameter $setMetadata $false
    }
    if ($command.Parameters.ContainsKey('WhatIf')) { foreach ($name in $shouldProcessHelp.Keys) { Write-ShouldProcessParameter $name $false } }
    $writer.WriteEndElement()

    $writer.WriteStartElement('command', 'inputTypes', $nsCommand)
    $pipelineTypes = foreach ($parameter in $command.Parameters.Values) {
        if ($parameter.ParameterSets.Values | Where-Object { $_.ValueFromPipeline -or $_.ValueFromPipelineByPropertyName }) { $parameter.ParameterType.FullName }
    }
    foreach ($typeName in $pipelineTypes | Sort-Object -Unique) {
        $writer.WriteStartElement('command', 'inputType', $nsCommand)
        $writer.WriteStartElement('dev', 'type', $nsDev)
        $writer.WriteElementString('maml', 'name', $nsMaml, $typeName)
        $writer.WriteEndElement()
        $writer.WriteEndElement()
    }
    $writer.WriteEndElement()

    $writer.WriteStartElement('command', 'returnValues', $nsCommand)
    foreach ($output in $command.OutputType) {
        $writer.WriteStartElement('command', 'returnValue', $nsCommand)
        $writer.WriteStartElement('dev', 'type', $nsDev)
        $writer.WriteElementString('maml', 'name', $nsMaml, $output.Name)
        $writer.WriteEndElement()
        $writer.WriteEndElement()
    }
    $writer.WriteEndElement()

    $writer.WriteStartElement('command', 'examples', $nsCommand)
    $examples = @($typeDoc.SelectNodes('example'))
    if (-not $examples) { throw "$($command.Name) has no <example>." }
    $i = 0
    foreach ($example in $examples) {
        $i++
        $code = $example.SelectSingleNode('code')
        if (-not $code) { throw "Example $i of $($command.Name) has no <code>." }
        $lines = ($code.InnerText -split "`r?`n")
        $indent = ($lines | Where-Object { $_.Trim() } | ForEach-Object { $_.Length - $_.TrimStart().Length } | Measure-Object -Minimum).Minimum
        $codeText = (($lines | ForEach-Object { if ($_.Length -ge $indent) { $_.Substring($indent) } else { $_.TrimStart() } }) -join "`n").Trim()
        $writer.WriteStartElement('command', 'example', $nsCommand)
        $title = $example.GetAttribute('title')
        $writer.WriteElementString('maml', 'title', $nsMaml, "--------- Example ${i}: $title ---------")
        $writer.WriteElementString('dev', 'code', $nsDev, $codeText)
        $writer.WriteStartElement('dev', 'remarks', $nsDev)
        foreach ($p in Get-DocParagraphs $example) { $writer.WriteElementString('maml', 'para', $nsMaml, $p) }
        $writer.WriteEndElement()
        $writer.WriteEndElement()
    }
    $writer.WriteEndElement()

    $writer.WriteStartElement('command', 'relatedLinks', $nsCommand)
    foreach ($link in @('about_KMeansPS') + @(Get-Command -Module $module.Name | Where-Object Name -ne $command.Name).Name) {
        $writer.WriteStartElement('maml', 'navigationLink', $nsMaml)
        $writer.WriteElementString('maml', 'linkText', $nsMaml, $link)
        $writer.WriteElementString('maml', 'uri', $nsMaml, '')
        $writer.WriteEndElement()
    }
    $writer.WriteEndElement()
    $writer.WriteEndElement()
}
$writer.WriteEndElement()
$writer.Flush()
$writer.Dispose()
Write-Host "Help written: $OutputPath"
