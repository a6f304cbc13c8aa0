FROM python:3.12-slim
# hadolint ignore=DL3013
RUN pip install flask
#hadolint ignore = DL3008, DL3013
RUN pip install idna
# hadolint ignore=DL3013 # pinned by the base image
RUN pip install six
  # hadolint ignore=DL3013
ONBUILD RUN pip install attrs
# hadolint ignore=DL3013
RUN pip install click && \
    pip install rich
# hadolint ignore=DL3013

RUN pip install toml
# hadolint ignore=DL3013
# another comment
RUN pip install tomli
# hadolint ignore=dl3013
RUN pip install wrapt
# hadolint ignore=DL3013 because
RUN pip install zipp
RUN pip install pyyaml && \
# hadolint ignore=DL3013
    pip install jinja2
# hadolint ignore=DL3008
RUN pip install markupsafe
