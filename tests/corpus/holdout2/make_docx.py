"""Build the two .docx documents of this folder with python-docx: heading styles give
the levels, and each carries a table, as Word documents written by hand do.

Run: python tests/corpus/holdout2/make_docx.py  (rewrites the files; the output is
checked in so the tests need no write access)."""

from __future__ import annotations

from pathlib import Path

from docx import Document

HERE = Path(__file__).parent


def _table(doc, rows):
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value


def _fixed(doc):
    """Fix the document's dates so the file is the same on every run."""
    from datetime import datetime
    props = doc.core_properties
    props.created = props.modified = datetime(2025, 1, 1)
    props.author = props.last_modified_by = "drafter"


def self_inspection() -> Document:
    doc = Document()
    doc.add_heading("临溪区审计局2024年度内部控制建设自查报告", level=0)
    doc.add_paragraph("区财政局：")
    doc.add_paragraph(
        "按照《关于开展2024年度行政事业单位内部控制报告编报工作的通知》要求，我局对照内部控制基本规范，"
        "对本单位内部控制建立和执行情况进行了全面自查。现将有关情况报告如下。")
    doc.add_heading("一、内部控制建设基本情况", level=1)
    doc.add_heading("（一）健全组织架构", level=2)
    doc.add_paragraph(
        "我局成立了以局长为组长的内部控制工作领导小组，下设办公室，办公室设在财务股，明确各股室内部控制职责，"
        "形成了决策、执行、监督相互分离、相互制约的工作机制。")
    doc.add_heading("（二）完善制度体系", level=2)
    doc.add_paragraph(
        "全年修订完善预算管理、收支管理、政府采购、资产管理、合同管理等制度12项，新制定《临溪区审计局公务接待管理办法》"
        "《临溪区审计局差旅费报销规定》等制度3项，内部控制制度覆盖全部经济业务活动。")
    doc.add_heading("（三）规范业务流程", level=2)
    doc.add_paragraph("2024年主要经济业务执行情况见下表：")
    _table(doc, [
        ["业务类别", "笔数", "金额（万元）", "备注"],
        ["预算支出", "1,286", "2,416.8", "全部经审批"],
        ["政府采购", "24", "386.5", "含框架协议采购6笔"],
        ["合同签订", "31", "452.3", "均经法律顾问审核"],
        ["资产处置", "2", "8.6", "报区财政局备案"],
    ])
    doc.add_paragraph("全年预算执行率达到98.6%，未发生超预算、无预算支出的情况。")
    doc.add_heading("二、存在的问题", level=1)
    doc.add_paragraph(
        "一是内部控制风险评估开展不够经常，评估结果运用不够充分；二是个别合同履约跟踪不够及时，"
        "存在付款节点与合同约定不完全一致的情况；三是固定资产盘点频次偏低，部分资产卡片信息更新滞后。")
    doc.add_heading("三、整改措施", level=1)
    doc.add_paragraph(
        "一是每年至少开展一次全面风险评估，将评估结果作为完善制度的重要依据；二是建立合同履约台账，"
        "由财务股按月跟踪付款进度；三是每半年开展一次资产清查盘点，做到账实相符、账卡相符。")
    doc.add_paragraph("特此报告。")
    doc.add_paragraph("临溪区审计局")
    doc.add_paragraph("2025年2月18日")
    return doc


def notice() -> Document:
    doc = Document()
    doc.add_heading("关于举办全市统计业务骨干培训班的通知", level=0)
    doc.add_paragraph("各县（市、区）统计局，市直有关单位：")
    doc.add_paragraph(
        "为提高全市统计人员业务能力，做好第五次全国经济普查数据开发应用工作，经研究，"
        "市统计局决定举办全市统计业务骨干培训班。现将有关事项通知如下。")
    doc.add_heading("一、培训时间和地点", level=1)
    doc.add_paragraph("培训时间：2025年4月22日至24日，共3天。4月21日下午报到。")
    doc.add_paragraph("培训地点：青禾市行政学院（青禾市临溪区学府路88号）。")
    doc.add_heading("二、参训人员", level=1)
    doc.add_paragraph("各县（市、区）统计局业务骨干，市直有关单位统计工作人员，名额分配如下：")
    _table(doc, [
        ["单位", "名额", "备注"],
        ["各县（市、区）统计局", "每单位4名", "含专业科室负责人1名"],
        ["市直有关单位", "每单位1名", "从事统计工作1年以上"],
    ])
    doc.add_heading("三、培训内容", level=1)
    doc.add_paragraph("（一）统计法律法规和统计督察有关要求；")
    doc.add_paragraph("（二）经济普查数据开发应用；")
    doc.add_paragraph("（三）统计数据质量控制和常见问题解析。")
    doc.add_heading("四、有关要求", level=1)
    doc.add_paragraph(
        "（一）请各单位于4月15日前将参训人员回执（见附件）报市统计局综合科，逾期视为不参加。")
    doc.add_paragraph("（二）培训期间食宿由培训班统一安排，费用按规定回原单位报销。")
    doc.add_paragraph("（三）参训人员须全程参加培训，严格遵守培训纪律，不得无故缺课。")
    doc.add_paragraph("联系人：市统计局综合科　孙立峰")
    doc.add_paragraph("联系电话：0771-5863327")
    doc.add_paragraph("附件：全市统计业务骨干培训班参训人员回执")
    doc.add_paragraph("青禾市统计局")
    doc.add_paragraph("2025年4月2日")
    return doc


def main() -> None:
    for name, build in [("clean-self_inspection--audit-bureau.docx", self_inspection),
                        ("clean-notice--statistics-training.docx", notice)]:
        doc = build()
        _fixed(doc)
        doc.save(HERE / name)


if __name__ == "__main__":
    main()
